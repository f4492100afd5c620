// CI smoke test of the multi-release jar (run with the JDK's source launcher, the jar on the class
// path): prints the kernels the provider chooses in this JVM, e.g. "vector-512-jdk25" on JDK 25.
public class WhichKernels {
    public static void main(String[] args) {
        System.out.println(org.myelin.kernel.KernelProvider.get().name());
    }
}

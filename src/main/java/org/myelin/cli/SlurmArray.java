package org.myelin.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.myelin.io.AtomicFiles;
import org.myelin.run.Codec;
import org.myelin.run.RunSpec;

/**
 * A sweep's training runs as one Slurm array job ({@code ablation} and {@code experiment} with
 * {@code --submit slurm}): writes {@code OUT/slurm/array.sh} (one array task per run not yet
 * complete), {@code OUT/slurm/tasks.tsv} (task number, run name, checkpoint), submits the script
 * with {@code sbatch}, records the job id in {@code OUT/slurm/job}, and waits for it on request.
 *
 * <p>A task runs its run's {@code train} command line, or {@code train --resume CKPT} when the
 * run's checkpoint exists (a task requeued after preemption, a kill or a time limit continues
 * from its last epoch, and ends with the bits of an uninterrupted run). The script asks Slurm for
 * {@code USR1} two minutes before the time limit and requeues itself on it. A task's exit code
 * lands in {@code OUT/slurm/status/task-K}; Slurm does not rerun a task that failed by itself
 * (exit 2: bad input, 3: divergence, 1: I/O), and {@link #failures} names those runs.
 */
final class SlurmArray {
    /** The flag values and where they come from. */
    static final String SUBMIT_HELP =
            "  --submit slurm      train the runs not yet complete as one Slurm array job instead (the data\n"
            + "                      prepared here first); writes OUT/slurm/ (array.sh, tasks.tsv, logs/),\n"
            + "                      submits it with sbatch and prints the job id. See docs/CLUSTER.md\n"
            + "  --sbatch-args \"...\" extra sbatch options, e.g. \"--partition=gpu --time=2:00:00\"\n"
            + "  --wait              with --submit: wait for the job to end, then collect (Ctrl-C stops\n"
            + "                      waiting only; the job keeps running)\n";

    /** Seconds between two looks at the queue while waiting. */
    static final long POLL_SECONDS = 5;
    /** The requeue signal's lead on the time limit. */
    static final int SIGNAL_LEAD_SECONDS = 120;

    /** One array task: a run's name (for messages), its checkpoint and its {@code train} words. */
    record Task(String name, Path checkpoint, List<String> trainWords) {}

    /** The parsed submission flags; {@code submit} false when --submit is absent. */
    record Options(boolean submit, boolean await, List<String> sbatchArgs) {
        static Options parse(Args a) {
            String s = a.string("submit", null);
            if (s != null && !s.equals("slurm")) throw new UsageException("--submit takes slurm (the one scheduler supported), got '" + s + "'");
            boolean await = a.flag("wait", false);
            String extra = a.string("sbatch-args", null);
            if (s == null && await) throw new UsageException("--wait goes with --submit slurm");
            if (s == null && extra != null) throw new UsageException("--sbatch-args goes with --submit slurm");
            List<String> words = new ArrayList<>();
            if (extra != null) for (String w : extra.trim().split("\\s+")) if (!w.isEmpty()) words.add(w);
            return new Options(s != null, await, words);
        }
    }

    private SlurmArray() {}

    /** The folder of the job's files. */
    static Path folder(Path out) {
        return out.resolve("slurm");
    }

    /**
     * Refuses a submission that cannot work, before any data are prepared: no {@code sbatch} on
     * the PATH, or a job of this folder still queued or running.
     */
    static void check(Path out) throws IOException {
        if (onPath("sbatch") == null) {
            throw new UsageException("--submit slurm: no sbatch on the PATH (run on a Slurm login node, or use --print-commands)");
        }
        Path job = folder(out).resolve("job");
        if (Files.isRegularFile(job)) {
            String id = Files.readString(job, StandardCharsets.UTF_8).trim();
            if (!id.isEmpty() && !queued(id).isEmpty()) {
                throw new UsageException("--submit slurm: job " + id + " of " + out + " is still queued or running (squeue -j " + id
                        + "); let it end and collect, or scancel it");
            }
        }
    }

    /** The first executable {@code name} on the PATH, or null. */
    static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String d : path.split(File.pathSeparator)) {
            if (d.isEmpty()) continue;
            Path p = Path.of(d, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return p;
        }
        return null;
    }

    /**
     * Refuses (naming it) a checkpoint a task would resume that is unreadable or of another run's
     * settings: {@code train --resume} would continue that other run.
     */
    static void checkCheckpoint(Path file, RunSpec spec) throws IOException {
        try {
            Codec.readCheckpointOf(file, spec);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage() + "; use another --out or delete that run");
        }
    }

    /**
     * What a task asks for: the JVM's heap ({@code -Xmx}) and the task's memory ({@code --mem}),
     * in MiB.
     */
    record Memory(long heapMiB, long taskMiB) {
        /**
         * From the heap a prepared run held ({@link org.myelin.run.Runs#preparedHeapBytes}): the
         * heap is twice that plus 64 MiB (each epoch's evaluation builds a second network workspace
         * beside the training one, and a collector needs room), the task that plus a quarter of it
         * for what lives outside the heap (at least 256 MiB: metaspace, compiled code, thread
         * stacks), at least 512 MiB; both in steps of 64 MiB.
         */
        static Memory of(long preparedHeapBytes) {
            long heap = up64(2 * ((preparedHeapBytes + (1L << 20) - 1) >> 20) + 64);
            return new Memory(heap, up64(Math.max(512, heap + Math.max(256, heap / 4))));
        }

        private static long up64(long mib) {
            return (mib + 63) / 64 * 64;
        }
    }

    /** The job script. */
    static String script(String sweep, Path out, List<Task> tasks, int threads, Memory mem) {
        Path abs = out.toAbsolutePath().normalize(), dir = folder(abs), cwd = Path.of("").toAbsolutePath();
        StringBuilder s = new StringBuilder("#!/bin/bash\n");
        s.append("# ").append(Main.PROGRAM).append(' ').append(sweep).append(": ").append(tasks.size())
         .append(" training runs as a Slurm array job, written by '").append(sweep).append(" --submit slurm'.\n");
        s.append("# Task K trains run K of tasks.tsv, or continues it from its checkpoint; its exit code goes to status/task-K.\n");
        s.append("#SBATCH --job-name=myelin-").append(sweep).append('\n');
        s.append("#SBATCH --array=1-").append(tasks.size()).append('\n');
        s.append("#SBATCH --cpus-per-task=").append(threads).append('\n');
        s.append("#SBATCH --mem=").append(mem.taskMiB()).append("M\n");
        s.append("#SBATCH --chdir=").append(cwd).append('\n');
        s.append("#SBATCH --output=").append(dir.resolve("logs")).append("/task-%a.log\n");
        s.append("#SBATCH --open-mode=append\n");
        s.append("#SBATCH --requeue\n");
        s.append("#SBATCH --signal=B:USR1@").append(SIGNAL_LEAD_SECONDS).append('\n');
        s.append("set -u\n");
        s.append("status=").append(Text.quote(dir.resolve("status").toString())).append('\n');
        s.append("java=(").append(Text.shellJoin(javaCommand(mem.heapMiB()))).append(")\n");
        s.append("case \"$SLURM_ARRAY_TASK_ID\" in\n");
        for (int k = 0; k < tasks.size(); k++) {
            Task t = tasks.get(k);
            s.append("  ").append(k + 1).append(") run=").append(Text.quote(t.name())).append("; ckpt=")
             .append(Text.quote(t.checkpoint().toString())).append("; args=(").append(Text.shellJoin(t.trainWords())).append(") ;;\n");
        }
        s.append("  *) echo \"no task $SLURM_ARRAY_TASK_ID in this script\" >&2; exit 2 ;;\n");
        s.append("esac\n");
        s.append("mkdir -p \"$status\"\n");
        s.append("rm -f \"$status/task-$SLURM_ARRAY_TASK_ID\"\n");
        s.append("echo \"$(date -u +%Y-%m-%dT%H:%M:%SZ) task $SLURM_ARRAY_TASK_ID ($run) on $(hostname), start ${SLURM_RESTART_COUNT:-0}\"\n");
        s.append("if [ -s \"$ckpt\" ]; then args=(train --resume \"$ckpt\" --threads ").append(threads).append("); fi\n");
        s.append("# the checkpoint's time when this task started: a slice that finished no epoch is not requeued (it never would)\n");
        s.append("started=$(stat -c %Y \"$ckpt\" 2>/dev/null || echo none)\n");
        s.append("requeue() {\n");
        s.append("  if [ \"$(stat -c %Y \"$ckpt\" 2>/dev/null || echo none)\" = \"$started\" ]; then\n");
        s.append("    echo \"time limit ahead and no epoch finished since this task started: not requeueing (give a longer --time)\"\n");
        s.append("    return\n");
        s.append("  fi\n");
        s.append("  echo \"time limit ahead: requeueing task $SLURM_ARRAY_TASK_ID (it continues from its checkpoint)\"\n");
        s.append("  scontrol requeue \"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\"\n");
        s.append("}\n");
        s.append("trap requeue USR1\n");
        s.append("echo \"+ ${args[*]}\"\n");
        s.append("# shellcheck disable=SC2086 # MYELIN_JAVA_OPTS is a list of words on purpose\n");
        s.append("\"${java[@]}\" ${MYELIN_JAVA_OPTS:-} -cp ").append(Text.quote(classPath())).append(" ").append(Main.class.getName())
         .append(" \"${args[@]}\" &\n");
        s.append("pid=$!\n");
        s.append("# wait returns early when a signal is trapped: wait again until the process has ended\n");
        s.append("while :; do wait \"$pid\"; rc=$?; kill -0 \"$pid\" 2>/dev/null || break; done\n");
        s.append("echo \"$rc\" > \"$status/.task-$SLURM_ARRAY_TASK_ID\" && mv -f \"$status/.task-$SLURM_ARRAY_TASK_ID\" \"$status/task-$SLURM_ARRAY_TASK_ID\"\n");
        s.append("exit \"$rc\"\n");
        return s.toString();
    }

    /** This JVM's java with its choice of the Vector API module, and the task's heap. */
    static List<String> javaCommand(long heapMiB) {
        List<String> c = new ArrayList<>();
        c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) c.add("--add-modules=jdk.incubator.vector");
        c.add("-Xmx" + heapMiB + "m");
        return c;
    }

    /** This JVM's class path with every entry absolute (the tasks start elsewhere). */
    static String classPath() {
        List<String> parts = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!e.isEmpty()) parts.add(Path.of(e).toAbsolutePath().normalize().toString());
        }
        return String.join(File.pathSeparator, parts);
    }

    /**
     * Writes OUT/slurm/ and submits the array; returns the job id. The previous submission's
     * statuses are cleared (its logs are kept: requeued tasks append).
     *
     * @throws UsageException with sbatch's message when it refuses the script
     */
    static String submit(String sweep, Path out, List<Task> tasks, int threads, Memory mem, List<String> sbatchArgs, PrintStream err)
            throws IOException, InterruptedException {
        Path dir = folder(out);
        Files.createDirectories(dir.resolve("logs"));
        Path status = dir.resolve("status");
        if (Files.isDirectory(status)) {
            try (var files = Files.list(status)) {
                for (Path f : files.toList()) Files.delete(f);
            }
        }
        Path script = dir.resolve("array.sh");
        AtomicFiles.writeString(script, script(sweep, out, tasks, threads, mem));
        StringBuilder tsv = new StringBuilder("task\trun\tcheckpoint\n");
        for (int k = 0; k < tasks.size(); k++) {
            tsv.append(k + 1).append('\t').append(tasks.get(k).name()).append('\t').append(tasks.get(k).checkpoint()).append('\n');
        }
        AtomicFiles.writeString(dir.resolve("tasks.tsv"), tsv.toString());
        List<String> cmd = new ArrayList<>(List.of("sbatch", "--parsable"));
        cmd.addAll(sbatchArgs);
        cmd.add(script.toString());
        Result r = run(cmd);
        if (r.code != 0) {
            throw new UsageException("--submit slurm: sbatch refused " + script + ": " + firstLine(r.err.isBlank() ? r.out : r.err));
        }
        String id = r.out.trim().split(";")[0];
        if (!id.matches("[0-9]+")) throw new IOException("--submit slurm: sbatch printed no job id: " + firstLine(r.out + r.err));
        AtomicFiles.writeString(dir.resolve("job"), id + "\n");
        err.printf(Locale.ROOT, "%s: submitted Slurm job %s: %d array tasks (%d CPU%s, %d MiB of which %d heap, each); script %s, logs %s%n",
                sweep, id, tasks.size(), threads, threads == 1 ? "" : "s", mem.taskMiB(), mem.heapMiB(), script, dir.resolve("logs"));
        return id;
    }

    /**
     * Waits until no task of the job is queued or running, telling on stderr how many run, wait
     * and ended. On Ctrl-C the job keeps running and a line says how to collect later.
     */
    static void await(String sweep, String job, int tasks, String collectHint, PrintStream err) throws IOException, InterruptedException {
        Thread hook = new Thread(() -> err.println(sweep + ": stopped waiting; Slurm job " + job + " keeps running (squeue -j " + job
                + "); collect later: " + collectHint));
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            String last = "";
            int failedLooks = 0;
            while (true) {
                Result r = run(List.of("squeue", "-h", "-r", "-j", job, "-o", "%T"));
                if (r.code != 0 && !r.err.contains("Invalid job id")) {
                    if (++failedLooks >= 3) {
                        throw new IOException("squeue failed: " + firstLine(r.err) + "; job " + job + " may still run; collect later: " + collectHint);
                    }
                } else {
                    failedLooks = 0;
                    Map<String, Integer> states = new LinkedHashMap<>();
                    int listed = 0;
                    if (r.code == 0) {
                        for (String line : r.out.split("\n")) {
                            if (line.isBlank()) continue;
                            states.merge(line.trim().toLowerCase(Locale.ROOT), 1, Integer::sum);
                            listed++;
                        }
                    }
                    if (listed == 0) break;
                    StringBuilder now = new StringBuilder();
                    for (Map.Entry<String, Integer> e : states.entrySet()) now.append(e.getValue()).append(' ').append(e.getKey()).append(", ");
                    now.append(Math.max(0, tasks - listed)).append(" ended");
                    if (!now.toString().equals(last)) err.println(sweep + ": job " + job + ": " + now);
                    last = now.toString();
                }
                Thread.sleep(TimeUnit.SECONDS.toMillis(POLL_SECONDS));
            }
            err.println(sweep + ": job " + job + " has ended");
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already: the hook says how to collect
            }
        }
    }

    /** The job ids listed by squeue for {@code job} ("" when none or squeue fails). */
    static String queued(String job) throws IOException {
        try {
            Result r = run(List.of("squeue", "-h", "-r", "-j", job, "-o", "%i"));
            return r.code == 0 ? r.out.trim() : "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking squeue", e);
        }
    }

    /**
     * The runs of the last submission that ended without completing, by name with the reason
     * ({@code incomplete}: the names of runs that have no complete result); empty when the
     * folder was never submitted.
     */
    static List<String> failures(Path out, List<String> incomplete) throws IOException {
        Path dir = folder(out), tsv = dir.resolve("tasks.tsv");
        List<String> lines = new ArrayList<>();
        if (!Files.isRegularFile(tsv)) return lines;
        for (String row : Files.readAllLines(tsv, StandardCharsets.UTF_8)) {
            String[] f = row.split("\t");
            if (f.length < 2 || f[0].equals("task") || !incomplete.contains(f[1])) continue;
            Path st = dir.resolve("status").resolve("task-" + f[0]);
            String why;
            if (!Files.isRegularFile(st)) {
                why = "did not finish (still queued or running, or killed without requeue)";
            } else {
                String code = Files.readString(st, StandardCharsets.UTF_8).trim();
                why = "exit " + code + " (" + meaning(code) + ")";
            }
            lines.add("run " + f[1] + " (Slurm task " + f[0] + ") " + why + "; log " + dir.resolve("logs").resolve("task-" + f[0] + ".log"));
        }
        return lines;
    }

    /** What a task's exit code says. */
    static String meaning(String code) {
        switch (code) {
            case "0": return "ended, but its result is incomplete";
            case "1": return "input/output or internal error";
            case "2": return "bad input or settings: not retried";
            case "3": return "training diverged: not retried";
            default:
                try {
                    int c = Integer.parseInt(code);
                    if (c > 128) return "killed by signal " + (c - 128);
                } catch (NumberFormatException e) {
                    // fall through
                }
                return "failed";
        }
    }

    private record Result(int code, String out, String err) {}

    private static Result run(List<String> cmd) throws IOException, InterruptedException {
        Path o = Files.createTempFile("myelin-slurm", ".out"), e = Files.createTempFile("myelin-slurm", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(o.toFile()).redirectError(e.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(cmd.get(0) + " did not answer within 120 s");
            }
            return new Result(p.exitValue(), Files.readString(o, StandardCharsets.UTF_8), Files.readString(e, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(o);
            Files.deleteIfExists(e);
        }
    }

    private static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }
}

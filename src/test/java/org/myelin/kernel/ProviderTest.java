package org.myelin.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The provider picks the vector path exactly when the module is present (both surefire runs check one side). */
class ProviderTest {
    @Test
    void choiceFollowsModulePresence() {
        boolean present = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        assertEquals(present, KernelProvider.vectorAvailable());
        String forced = System.getProperty("myelin.vector", "");
        String expected = present && !forced.equalsIgnoreCase("false") ? "vector-" : "scalar";
        assertEquals(true, KernelProvider.get().name().startsWith(expected),
                "module present=" + present + " but provider chose " + KernelProvider.get().name());
        if (!present) assertThrows(UnsupportedOperationException.class, KernelProvider::vector);
    }
}

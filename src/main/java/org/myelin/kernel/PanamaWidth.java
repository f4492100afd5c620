package org.myelin.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float species every Vector API implementation uses, at the width {@link KernelProvider}
 * decided ({@link KernelProvider#vectorBits()}). Touches the incubator module, so only Panama
 * classes load it.
 */
final class PanamaWidth {
    private PanamaWidth() {}

    /** The CPU's preferred vector width in bits. */
    static int preferredBits() {
        return FloatVector.SPECIES_PREFERRED.vectorBitSize();
    }

    /** The chosen species. */
    static VectorSpecies<Float> species() {
        return VectorSpecies.of(float.class, VectorShape.forBitSize(KernelProvider.vectorBits()));
    }
}

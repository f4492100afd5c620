/**
 * The network of layers: delayed synapse storage (dense {@link org.myelin.network.DenseSynapses},
 * CSR {@link org.myelin.network.CsrSynapses}), the delay kernels, and the fused forward and
 * backward pass of a batch ({@link org.myelin.network.Network}). Built on the numeric primitives of
 * {@code org.myelin.kernel} (KernelOps and its provider, the thread team), which know nothing of
 * networks.
 */
package org.myelin.network;

/**
 * Analytic count of the matrix-product FLOPs in one reference training step (one
 * discriminator update and one generator update), used to turn step times into GFLOP/s.
 *
 * A dense layer with K inputs and N outputs applied to M rows costs 2·M·K·N FLOPs for each
 * of its three products: the forward product, the kernel gradient (inputᵀ · dOut) and the
 * input gradient (dOut · kernelᵀ). The count takes only the products the algorithm needs:
 *
 *   D update: G forward (no gradient); D forward on the real and on the generated batch;
 *             D kernel gradients on both; D input gradients on both, except the first layer's.
 *   G update: G forward; D forward; D input gradients through all three layers (D's kernel
 *             gradients are not needed); G kernel gradients; G input gradients, except the
 *             first layer's.
 *
 * With B = batch, L = latent, H = hidden width of both networks, g = L·H + H² + H (G's
 * three layers) and d = H² + 2H (D's three layers), that sums to
 *
 *   FLOPs per step = 2B · (3g + 6d + 3(H² + H)).
 *
 * Biases, activations, losses and Adam are elementwise and not counted, so the GFLOP/s
 * derived from this count is a lower bound on the arithmetic an engine does.
 */

/** Size of the reference network in a benchmark: generator input width, hidden width of both networks, batch. */
export interface StepSize {
  latent: number;
  hidden: number;
  batch: number;
}

/** FLOPs of one matrix product of an M×K by a K×N matrix. */
function productFlops(rows: number, inputs: number, outputs: number): number {
  return 2 * rows * inputs * outputs;
}

export function referenceStepFlops({ latent, hidden, batch }: StepSize): number {
  const generatorLayers: Array<[number, number]> = [[latent, hidden], [hidden, hidden], [hidden, 1]];
  const discriminatorLayers: Array<[number, number]> = [[1, hidden], [hidden, hidden], [hidden, 1]];
  const sum = (layers: Array<[number, number]>) =>
    layers.reduce((total, [inputs, outputs]) => total + productFlops(batch, inputs, outputs), 0);

  const generatorPass = sum(generatorLayers);
  const discriminatorPass = sum(discriminatorLayers);
  // Input gradients of every layer but the first, which has no trainable input below it.
  const generatorInputGradients = sum(generatorLayers.slice(1));
  const discriminatorInputGradients = sum(discriminatorLayers.slice(1));

  const discriminatorUpdate =
    generatorPass + 2 * discriminatorPass + 2 * discriminatorPass + 2 * discriminatorInputGradients;
  const generatorUpdate =
    generatorPass + discriminatorPass + discriminatorPass + generatorPass + generatorInputGradients;
  return discriminatorUpdate + generatorUpdate;
}

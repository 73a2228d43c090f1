/**
 * GAN losses computed from discriminator logits.
 *
 * With D(x) = σ(l) for a logit l, the identities log σ(l) = −softplus(−l) and
 * log(1 − σ(l)) = log σ(−l) = −softplus(l) turn the textbook losses into
 *
 *   discriminator: −½·E[log D(x) + log(1 − D(G(z)))] = ½·(E[softplus(−l_real)] + E[softplus(l_fake)])
 *   generator (non-saturating): −E[log D(G(z))] = E[softplus(−l_fake)]
 *
 * tf.softplus returns t or e^t in the far tails and log(1 + e^t) between them, so it never
 * overflows and never takes the log of 0, unlike log(sigmoid(l)) once |l| passes about 17
 * in float32. At the equilibrium D = ½ (every logit 0) both losses equal ln 2.
 */
import { tf } from './backend.js';

/** Discriminator loss from logits of real samples and of generated samples, both [batch, 1]. */
export function discriminatorLoss(realLogits: tf.Tensor, fakeLogits: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const realTerm = tf.mean(tf.softplus(tf.neg(realLogits)));
    const fakeTerm = tf.mean(tf.softplus(fakeLogits));
    return tf.mul(0.5, tf.add(realTerm, fakeTerm)) as tf.Scalar;
  });
}

/** Non-saturating generator loss from logits of generated samples, [batch, 1]. */
export function generatorLoss(fakeLogits: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.softplus(tf.neg(fakeLogits))) as tf.Scalar);
}

import { beforeAll, describe, expect, it } from 'vitest';

import { selectBackend, tf } from './backend.js';
import { discriminatorLoss, generatorLoss } from './losses.js';

const softplus = (t: number) => Math.log1p(Math.exp(t));

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('discriminatorLoss', () => {
  it('equals ln 2 at the equilibrium', () => {
    const zeros = tf.zeros([4, 1]);
    const loss = discriminatorLoss(zeros, zeros);
    expect(loss.dataSync()[0]).toBeCloseTo(Math.LN2, 6);
    tf.dispose([zeros, loss]);
  });

  it('matches the hand-computed value', () => {
    // −½·(mean log σ(l_real) + mean log(1 − σ(l_fake))) for l_real = [0, 2], l_fake = [0, −1].
    const expected = 0.5 * ((softplus(-0) + softplus(-2)) / 2 + (softplus(0) + softplus(-1)) / 2);
    const real = tf.tensor2d([0, 2], [2, 1]);
    const fake = tf.tensor2d([0, -1], [2, 1]);
    const loss = discriminatorLoss(real, fake);
    expect(loss.dataSync()[0]).toBeCloseTo(expected, 6);
    expect(expected).toBeCloseTo(0.5 * ((0.693147 + 0.126928) / 2 + (0.693147 + 0.313262) / 2), 5);
    tf.dispose([real, fake, loss]);
  });

  it('stays finite for saturated logits', () => {
    // log σ(−100) would be log(0) in float32; the softplus form gives 100.
    const real = tf.tensor2d([-100], [1, 1]);
    const fake = tf.tensor2d([100], [1, 1]);
    const loss = discriminatorLoss(real, fake);
    expect(loss.dataSync()[0]).toBeCloseTo(100, 3);
    tf.dispose([real, fake, loss]);
  });
});

describe('generatorLoss', () => {
  it('matches the hand-computed value', () => {
    // −mean log σ(l) for l = [1, −3]: softplus(−1) = 0.313262, softplus(3) = 3.048587.
    const fake = tf.tensor2d([1, -3], [2, 1]);
    const loss = generatorLoss(fake);
    expect(loss.dataSync()[0]).toBeCloseTo((0.313262 + 3.048587) / 2, 5);
    tf.dispose([fake, loss]);
  });

  it('has gradient −(1 − σ(l)) / B', () => {
    const logits = [1, -3, 0.5];
    const gradient = tf.grad((l: tf.Tensor) => generatorLoss(l))(tf.tensor2d(logits, [3, 1]));
    const values = gradient.dataSync();
    logits.forEach((l, i) => {
      expect(values[i]).toBeCloseTo(-(1 - 1 / (1 + Math.exp(-l))) / logits.length, 6);
    });
    gradient.dispose();
  });
});

/*
 * Fused training engine for the reference GAN family: a generator of three dense layers
 * (ReLU, ReLU, linear) and a discriminator of three dense layers (tanh, ReLU, one
 * logit), each trained with Adam. Forward pass, backward pass and the Adam update of a
 * whole step run here in one call over buffers allocated once per trial, so a step
 * allocates nothing and crosses the JavaScript boundary twice.
 *
 * Layout: row-major float32. A dense layer with K inputs and N outputs stores its kernel
 * [K][N] followed by its bias [N]. Each network stores its three layers in order, so its
 * parameters, gradients and Adam moments are each one contiguous array, in the order of
 * the tfjs engine's variables.
 *
 * Build: see build.sh (clang --target=wasm32 -O3 -msimd128, no libc). The file is
 * freestanding, so the few transcendental functions it needs are defined below.
 */

typedef unsigned long size_t;

#define EXPORT(name) __attribute__((export_name(#name)))

/* ---------- Memory: a bump allocator over the module's linear memory ---------- */

extern unsigned char __heap_base;
static size_t heap_top;

static float *alloc_floats(size_t count) {
  size_t start = (heap_top + 15) & ~(size_t)15;
  size_t end = start + count * sizeof(float);
  size_t have = __builtin_wasm_memory_size(0) * 65536;
  if (end > have) {
    size_t pages = (end - have + 65535) / 65536;
    if (__builtin_wasm_memory_grow(0, pages) == (size_t)-1) return 0;
  }
  heap_top = end;
  float *memory = (float *)start;
  for (size_t i = 0; i < count; i++) memory[i] = 0.0f;
  return memory;
}

/* ---------- Elementary functions (float32, no libc) ---------- */

static inline float bits_to_float(int bits) {
  union { int i; float f; } u = { bits };
  return u.f;
}

static inline int float_to_bits(float value) {
  union { float f; int i; } u = { value };
  return u.i;
}

/* e^x by Cody–Waite range reduction and the Cephes expf polynomial; relative error
 * about 2e-7 on [-87, 88], inputs clamped to that range. */
static inline float fexp(float x) {
  x = __builtin_wasm_min_f32(__builtin_wasm_max_f32(x, -87.0f), 88.0f);
  float n = __builtin_floorf(x * 1.44269504088896341f + 0.5f);
  float r = x - n * 0.693359375f + n * 2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  float e = p * r * r + r + 1.0f;
  return e * bits_to_float(((int)n + 127) << 23);
}

/* log(y) for y in [1, 2] (all this file needs) with the Cephes logf polynomial. */
static inline float flog_1_2(float y) {
  int bits = float_to_bits(y);
  int exponent = (bits >> 23) - 127;
  float m = bits_to_float((bits & 0x007fffff) | 0x3f800000);
  if (m > 1.41421356f) {
    m *= 0.5f;
    exponent += 1;
  }
  float x = m - 1.0f;
  float z = x * x;
  float p = 7.0376836292e-2f;
  p = p * x - 1.1514610310e-1f;
  p = p * x + 1.1676998740e-1f;
  p = p * x - 1.2420140846e-1f;
  p = p * x + 1.4249322787e-1f;
  p = p * x - 1.6668057665e-1f;
  p = p * x + 2.0000714765e-1f;
  p = p * x - 2.4999993993e-1f;
  p = p * x + 3.3333331174e-1f;
  float result = x * z * p - 0.5f * z + x;
  return result + (float)exponent * 0.693147180559945f;
}

/* softplus(t) = max(t, 0) + log(1 + e^(−|t|)): never overflows, never takes log(0). */
static inline float softplus(float t) {
  return __builtin_wasm_max_f32(t, 0.0f) + flog_1_2(1.0f + fexp(-__builtin_fabsf(t)));
}

static inline float sigmoid(float t) {
  return 1.0f / (1.0f + fexp(-t));
}

static inline float ftanh(float x) {
  float t = fexp(-2.0f * __builtin_fabsf(x));
  float magnitude = (1.0f - t) / (1.0f + t);
  return x < 0.0f ? -magnitude : magnitude;
}

/* ---------- Dense layers ---------- */

/* out[B][N] = in[B][K] · kernel[K][N] + bias[N] */
static void dense_forward(const float *in, const float *kernel, const float *bias, float *out, int batch, int k_in, int n_out) {
  for (int b = 0; b < batch; b++) {
    float *row = out + (size_t)b * n_out;
    for (int j = 0; j < n_out; j++) row[j] = bias[j];
    for (int k = 0; k < k_in; k++) {
      float a = in[(size_t)b * k_in + k];
      const float *w = kernel + (size_t)k * n_out;
      for (int j = 0; j < n_out; j++) row[j] += a * w[j];
    }
  }
}

/* Accumulates kernel and bias gradients: dKernel += inᵀ · dOut, dBias += Σ_b dOut. */
static void dense_grad_params(const float *in, const float *d_out, float *d_kernel, float *d_bias, int batch, int k_in, int n_out) {
  for (int b = 0; b < batch; b++) {
    const float *g = d_out + (size_t)b * n_out;
    for (int j = 0; j < n_out; j++) d_bias[j] += g[j];
    for (int k = 0; k < k_in; k++) {
      float a = in[(size_t)b * k_in + k];
      float *dw = d_kernel + (size_t)k * n_out;
      for (int j = 0; j < n_out; j++) dw[j] += a * g[j];
    }
  }
}

/* dIn[B][K] = dOut[B][N] · kernelᵀ */
static void dense_grad_input(const float *d_out, const float *kernel, float *d_in, int batch, int k_in, int n_out) {
  for (int b = 0; b < batch; b++) {
    const float *g = d_out + (size_t)b * n_out;
    for (int k = 0; k < k_in; k++) {
      const float *w = kernel + (size_t)k * n_out;
      float sum = 0.0f;
      for (int j = 0; j < n_out; j++) sum += g[j] * w[j];
      d_in[(size_t)b * k_in + k] = sum;
    }
  }
}

/* ---------- Networks ---------- */

typedef struct {
  int widths[4];          /* inputs, hidden, hidden, outputs */
  int count;              /* number of parameters */
  float *params, *grads, *first_moment, *second_moment;
  float beta1_power, beta2_power;
  float *kernel[3], *bias[3], *d_kernel[3], *d_bias[3];
} Network;

static int network_init(Network *net, int inputs, int hidden) {
  int widths[4] = { inputs, hidden, hidden, 1 };
  net->count = 0;
  for (int l = 0; l < 3; l++) {
    net->widths[l] = widths[l];
    net->count += widths[l] * widths[l + 1] + widths[l + 1];
  }
  net->widths[3] = 1;
  net->params = alloc_floats(net->count);
  net->grads = alloc_floats(net->count);
  net->first_moment = alloc_floats(net->count);
  net->second_moment = alloc_floats(net->count);
  if (!net->params || !net->grads || !net->first_moment || !net->second_moment) return -1;
  net->beta1_power = 1.0f;
  net->beta2_power = 1.0f;
  size_t offset = 0;
  for (int l = 0; l < 3; l++) {
    net->kernel[l] = net->params + offset;
    net->d_kernel[l] = net->grads + offset;
    offset += (size_t)widths[l] * widths[l + 1];
    net->bias[l] = net->params + offset;
    net->d_bias[l] = net->grads + offset;
    offset += widths[l + 1];
  }
  return 0;
}

static void zero(float *values, int count) {
  for (int i = 0; i < count; i++) values[i] = 0.0f;
}

/* Adam exactly as tfjs 4.22 applies it: the moments are bias-corrected with β^t, and
 * value += −lr · m̂ / (√v̂ + ε). */
static void adam_update(Network *net, float learning_rate, float beta1, float beta2, float epsilon) {
  net->beta1_power *= beta1;
  net->beta2_power *= beta2;
  float correction1 = 1.0f - net->beta1_power;
  float correction2 = 1.0f - net->beta2_power;
  for (int i = 0; i < net->count; i++) {
    float g = net->grads[i];
    float m = net->first_moment[i] * beta1 + g * (1.0f - beta1);
    float v = net->second_moment[i] * beta2 + g * g * (1.0f - beta2);
    net->first_moment[i] = m;
    net->second_moment[i] = v;
    net->params[i] += -learning_rate * ((m / correction1) / (__builtin_sqrtf(v / correction2) + epsilon));
  }
}

/* ---------- Trial state ---------- */

static Network generator, discriminator;
static int latent, g_hidden, d_hidden, batch, chunk;

/* Per-step buffers. The generator keeps post-activation outputs: ReLU's derivative is
 * (output > 0), and tanh's is 1 − output². */
static float *real, *noise, *g_h1, *g_h2, *fake;
static float *d_real_h1, *d_real_h2, *real_logits, *d_fake_h1, *d_fake_h2, *fake_logits;
static float *d_logits, *d_h2, *d_h1, *d_x, *d_g_h2, *d_g_h1;
/* Evaluation buffers, `chunk` rows at a time. */
static float *io_in, *io_out, *e_h1, *e_h2;

EXPORT(gan_init)
int gan_init(int latent_dim, int generator_hidden, int discriminator_hidden, int batch_size, int chunk_rows) {
  heap_top = (size_t)&__heap_base;
  latent = latent_dim;
  g_hidden = generator_hidden;
  d_hidden = discriminator_hidden;
  batch = batch_size;
  chunk = chunk_rows;
  if (network_init(&generator, latent, g_hidden) || network_init(&discriminator, 1, d_hidden)) return -1;

  int widest = g_hidden > d_hidden ? g_hidden : d_hidden;
  real = alloc_floats(batch);
  noise = alloc_floats((size_t)batch * latent);
  g_h1 = alloc_floats((size_t)batch * g_hidden);
  g_h2 = alloc_floats((size_t)batch * g_hidden);
  fake = alloc_floats(batch);
  d_real_h1 = alloc_floats((size_t)batch * d_hidden);
  d_real_h2 = alloc_floats((size_t)batch * d_hidden);
  real_logits = alloc_floats(batch);
  d_fake_h1 = alloc_floats((size_t)batch * d_hidden);
  d_fake_h2 = alloc_floats((size_t)batch * d_hidden);
  fake_logits = alloc_floats(batch);
  d_logits = alloc_floats(batch);
  d_h2 = alloc_floats((size_t)batch * d_hidden);
  d_h1 = alloc_floats((size_t)batch * d_hidden);
  d_x = alloc_floats(batch);
  d_g_h2 = alloc_floats((size_t)batch * g_hidden);
  d_g_h1 = alloc_floats((size_t)batch * g_hidden);
  io_in = alloc_floats((size_t)chunk * (latent > 1 ? latent : 1));
  io_out = alloc_floats(chunk);
  e_h1 = alloc_floats((size_t)chunk * widest);
  e_h2 = alloc_floats((size_t)chunk * widest);
  if (!real || !noise || !g_h1 || !g_h2 || !fake || !d_real_h1 || !d_real_h2 || !real_logits || !d_fake_h1 ||
      !d_fake_h2 || !fake_logits || !d_logits || !d_h2 || !d_h1 || !d_x || !d_g_h2 || !d_g_h1 || !io_in || !io_out ||
      !e_h1 || !e_h2) {
    return -1;
  }
  return 0;
}

EXPORT(gan_params) float *gan_params(int which) { return which == 0 ? generator.params : discriminator.params; }
EXPORT(gan_grads) float *gan_grads(int which) { return which == 0 ? generator.grads : discriminator.grads; }
EXPORT(gan_param_count) int gan_param_count(int which) { return which == 0 ? generator.count : discriminator.count; }
EXPORT(gan_real) float *gan_real(void) { return real; }
EXPORT(gan_noise) float *gan_noise(void) { return noise; }
EXPORT(gan_io_in) float *gan_io_in(void) { return io_in; }
EXPORT(gan_io_out) float *gan_io_out(void) { return io_out; }

/* Generator forward: z[rows][latent] → samples[rows]. */
static void generate_rows(const float *z, float *h1, float *h2, float *out, int rows) {
  dense_forward(z, generator.kernel[0], generator.bias[0], h1, rows, latent, g_hidden);
  for (size_t i = 0; i < (size_t)rows * g_hidden; i++) h1[i] = __builtin_wasm_max_f32(h1[i], 0.0f);
  dense_forward(h1, generator.kernel[1], generator.bias[1], h2, rows, g_hidden, g_hidden);
  for (size_t i = 0; i < (size_t)rows * g_hidden; i++) h2[i] = __builtin_wasm_max_f32(h2[i], 0.0f);
  dense_forward(h2, generator.kernel[2], generator.bias[2], out, rows, g_hidden, 1);
}

/* Discriminator forward: x[rows] → logits[rows]. */
static void discriminate_rows(const float *x, float *h1, float *h2, float *logits, int rows) {
  dense_forward(x, discriminator.kernel[0], discriminator.bias[0], h1, rows, 1, d_hidden);
  for (size_t i = 0; i < (size_t)rows * d_hidden; i++) h1[i] = ftanh(h1[i]);
  dense_forward(h1, discriminator.kernel[1], discriminator.bias[1], h2, rows, d_hidden, d_hidden);
  for (size_t i = 0; i < (size_t)rows * d_hidden; i++) h2[i] = __builtin_wasm_max_f32(h2[i], 0.0f);
  dense_forward(h2, discriminator.kernel[2], discriminator.bias[2], logits, rows, d_hidden, 1);
}

/* Backpropagates d_logits through the discriminator, accumulating its parameter
 * gradients when `accumulate` is set, and writes dL/dx to d_x when `want_input` is set. */
static void discriminator_backward(const float *x, const float *h1, const float *h2, int accumulate, int want_input) {
  if (accumulate) dense_grad_params(h2, d_logits, discriminator.d_kernel[2], discriminator.d_bias[2], batch, d_hidden, 1);
  dense_grad_input(d_logits, discriminator.kernel[2], d_h2, batch, d_hidden, 1);
  for (size_t i = 0; i < (size_t)batch * d_hidden; i++) d_h2[i] = h2[i] > 0.0f ? d_h2[i] : 0.0f;
  if (accumulate) dense_grad_params(h1, d_h2, discriminator.d_kernel[1], discriminator.d_bias[1], batch, d_hidden, d_hidden);
  dense_grad_input(d_h2, discriminator.kernel[1], d_h1, batch, d_hidden, d_hidden);
  for (size_t i = 0; i < (size_t)batch * d_hidden; i++) d_h1[i] *= 1.0f - h1[i] * h1[i];
  if (accumulate) dense_grad_params(x, d_h1, discriminator.d_kernel[0], discriminator.d_bias[0], batch, 1, d_hidden);
  if (want_input) dense_grad_input(d_h1, discriminator.kernel[0], d_x, batch, 1, d_hidden);
}

/*
 * Discriminator loss ½·(mean softplus(−l_real) + mean softplus(l_fake)) and its gradient
 * with respect to D's parameters, left in gan_grads(1). The derivatives of the two terms
 * with respect to each logit are −½·σ(−l)/B and ½·σ(l)/B.
 */
EXPORT(gan_discriminator_loss_and_grads)
float gan_discriminator_loss_and_grads(void) {
  generate_rows(noise, g_h1, g_h2, fake, batch);
  discriminate_rows(real, d_real_h1, d_real_h2, real_logits, batch);
  discriminate_rows(fake, d_fake_h1, d_fake_h2, fake_logits, batch);

  float real_sum = 0.0f, fake_sum = 0.0f;
  for (int b = 0; b < batch; b++) {
    real_sum += softplus(-real_logits[b]);
    fake_sum += softplus(fake_logits[b]);
  }
  float scale = 0.5f / (float)batch;

  zero(discriminator.grads, discriminator.count);
  for (int b = 0; b < batch; b++) d_logits[b] = -scale * sigmoid(-real_logits[b]);
  discriminator_backward(real, d_real_h1, d_real_h2, 1, 0);
  for (int b = 0; b < batch; b++) d_logits[b] = scale * sigmoid(fake_logits[b]);
  discriminator_backward(fake, d_fake_h1, d_fake_h2, 1, 0);

  return 0.5f * (real_sum / (float)batch + fake_sum / (float)batch);
}

/*
 * Non-saturating generator loss mean softplus(−l_fake) and its gradient with respect to
 * G's parameters, left in gan_grads(0); dL/dl = −σ(−l)/B flows back through D (whose
 * parameters are not updated) into G.
 */
EXPORT(gan_generator_loss_and_grads)
float gan_generator_loss_and_grads(void) {
  generate_rows(noise, g_h1, g_h2, fake, batch);
  discriminate_rows(fake, d_fake_h1, d_fake_h2, fake_logits, batch);

  float sum = 0.0f;
  for (int b = 0; b < batch; b++) sum += softplus(-fake_logits[b]);
  float scale = 1.0f / (float)batch;
  for (int b = 0; b < batch; b++) d_logits[b] = -scale * sigmoid(-fake_logits[b]);
  discriminator_backward(fake, d_fake_h1, d_fake_h2, 0, 1);

  zero(generator.grads, generator.count);
  dense_grad_params(g_h2, d_x, generator.d_kernel[2], generator.d_bias[2], batch, g_hidden, 1);
  dense_grad_input(d_x, generator.kernel[2], d_g_h2, batch, g_hidden, 1);
  for (size_t i = 0; i < (size_t)batch * g_hidden; i++) d_g_h2[i] = g_h2[i] > 0.0f ? d_g_h2[i] : 0.0f;
  dense_grad_params(g_h1, d_g_h2, generator.d_kernel[1], generator.d_bias[1], batch, g_hidden, g_hidden);
  dense_grad_input(d_g_h2, generator.kernel[1], d_g_h1, batch, g_hidden, g_hidden);
  for (size_t i = 0; i < (size_t)batch * g_hidden; i++) d_g_h1[i] = g_h1[i] > 0.0f ? d_g_h1[i] : 0.0f;
  dense_grad_params(noise, d_g_h1, generator.d_kernel[0], generator.d_bias[0], batch, latent, g_hidden);

  return sum * scale;
}

/* Applies one Adam step to network `which` (0 generator, 1 discriminator) from its gradients. */
EXPORT(gan_adam)
void gan_adam(int which, float learning_rate, float beta1, float beta2, float epsilon) {
  adam_update(which == 0 ? &generator : &discriminator, learning_rate, beta1, beta2, epsilon);
}

/* One discriminator update on gan_real() and gan_noise(); returns the loss before it. */
EXPORT(gan_discriminator_step)
float gan_discriminator_step(float learning_rate, float beta1, float beta2, float epsilon) {
  float loss = gan_discriminator_loss_and_grads();
  adam_update(&discriminator, learning_rate, beta1, beta2, epsilon);
  return loss;
}

/* One generator update on gan_noise(); returns the loss before it. */
EXPORT(gan_generator_step)
float gan_generator_step(float learning_rate, float beta1, float beta2, float epsilon) {
  float loss = gan_generator_loss_and_grads();
  adam_update(&generator, learning_rate, beta1, beta2, epsilon);
  return loss;
}

/* Generator on `rows` ≤ chunk noise rows in gan_io_in(); samples go to gan_io_out(). */
EXPORT(gan_generate)
void gan_generate(int rows) {
  generate_rows(io_in, e_h1, e_h2, io_out, rows);
}

/* D(x) = σ(logit) for `rows` ≤ chunk points in gan_io_in(); results go to gan_io_out(). */
EXPORT(gan_discriminate)
void gan_discriminate(int rows) {
  discriminate_rows(io_in, e_h1, e_h2, io_out, rows);
  for (int i = 0; i < rows; i++) io_out[i] = sigmoid(io_out[i]);
}

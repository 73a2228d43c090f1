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
 * This file is the engine's core. gan_wasm.c compiles it into WebAssembly, and the files in
 * native/ compile it into a Node.js addon, once for AVX2 with FMA and once for the
 * architecture's baseline. The including file defines GAN_VECTOR_WIDTH (floats per SIMD
 * register) and may define GAN_API (the linkage of the entry points), GAN_FLOOR, and
 * GAN_INTERRUPTIBLE (make the products poll the trial's stop flags).
 * Everything a trial needs lives in one arena that the caller provides, so one compiled
 * copy can serve any number of engines at once. No libc is used: the few transcendental
 * functions needed are defined below.
 */

#ifndef GAN_VECTOR_WIDTH
#error "define GAN_VECTOR_WIDTH (floats per SIMD register) before including gan.c"
#endif
#ifndef GAN_API
#define GAN_API static
#endif

typedef __SIZE_TYPE__ size_t;
typedef __UINTPTR_TYPE__ uintptr_t;

#define VW GAN_VECTOR_WIDTH
/* A SIMD register of floats that may be loaded from any float address. */
typedef float vecf __attribute__((vector_size(VW * sizeof(float)), aligned(sizeof(float)), may_alias));

static inline vecf vload(const float *p) { return *(const vecf *)p; }
static inline void vstore(float *p, vecf v) { *(vecf *)p = v; }
static inline vecf vsplat(float s) { return (vecf){0} + s; }

/* ---------- Elementary functions (float32, no libc) ---------- */

/* Rounding down. Without SSE4.1 the builtin becomes a libm call, which stops the loops
 * around it from being vectorized, so the including file may supply its own. */
#ifndef GAN_FLOOR
#define GAN_FLOOR __builtin_floorf
#endif

static inline float fmaxf0(float x) { return x > 0.0f ? x : 0.0f; }

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
  x = x < -87.0f ? -87.0f : x;
  x = x > 88.0f ? 88.0f : x;
  float n = GAN_FLOOR(x * 1.44269504088896341f + 0.5f);
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
  return fmaxf0(t) + flog_1_2(1.0f + fexp(-__builtin_fabsf(t)));
}

static inline float sigmoid(float t) {
  return 1.0f / (1.0f + fexp(-t));
}

static inline float ftanh(float x) {
  float t = fexp(-2.0f * __builtin_fabsf(x));
  float magnitude = (1.0f - t) / (1.0f + t);
  return x < 0.0f ? -magnitude : magnitude;
}

/* ---------- Matrix products ---------- */

/* Rows and SIMD registers of columns that one block of the product keeps in registers. */
#ifndef BLOCK_ROWS
#define BLOCK_ROWS 4
#endif
#ifndef BLOCK_VECTORS
#define BLOCK_VECTORS 2
#endif

/* How a product's output starts before the sum is added. */
enum { START_ZERO, START_ROW, START_OUTPUT };

/*
 * C[M][N] = start + A·B, where A(m, k) = a[m·a_row + k·a_col] (so A may be a transposed
 * view), B is [K][N] row-major and C is [M][N] row-major. `start` is zero, the row vector
 * `row` added to every row (a bias), or C's own values (accumulation).
 *
 * Blocks of BLOCK_ROWS rows × BLOCK_VECTORS registers of columns stay in registers for
 * the whole sum over k. Remaining rows and columns take narrower blocks of the same loop.
 */
#define PRODUCT_BLOCK(ROWS, VECTORS)                                                             \
  do {                                                                                            \
    vecf acc[ROWS][VECTORS];                                                                      \
    for (int r = 0; r < ROWS; r++)                                                                \
      for (int v = 0; v < VECTORS; v++)                                                           \
        acc[r][v] = start == START_OUTPUT ? vload(c + (size_t)(m + r) * N + n + v * VW)           \
                    : start == START_ROW  ? vload(row + n + v * VW)                               \
                                          : vsplat(0.0f);                                         \
    for (int k = 0; k < K; k++) {                                                                 \
      vecf bk[VECTORS];                                                                           \
      for (int v = 0; v < VECTORS; v++) bk[v] = vload(b + (size_t)k * N + n + v * VW);            \
      for (int r = 0; r < ROWS; r++) {                                                            \
        vecf ar = vsplat(a[(size_t)(m + r) * a_row + (size_t)k * a_col]);                         \
        for (int v = 0; v < VECTORS; v++) acc[r][v] += ar * bk[v];                                \
      }                                                                                           \
    }                                                                                             \
    for (int r = 0; r < ROWS; r++)                                                                \
      for (int v = 0; v < VECTORS; v++) vstore(c + (size_t)(m + r) * N + n + v * VW, acc[r][v]);  \
  } while (0)

static int stop_requested(void);

static void product(int M, int N, int K, const float *a, size_t a_row, size_t a_col, const float *b, float *c,
                    int start, const float *row) {
  int m = 0;
  for (; m + BLOCK_ROWS <= M; m += BLOCK_ROWS) {
    /* A stop request ends the product here and leaves C partly computed: the caller then
     * discards the whole step (see gan_interrupted). */
    if (stop_requested()) return;
    int n = 0;
    for (; n + BLOCK_VECTORS * VW <= N; n += BLOCK_VECTORS * VW) PRODUCT_BLOCK(BLOCK_ROWS, BLOCK_VECTORS);
    for (; n + VW <= N; n += VW) PRODUCT_BLOCK(BLOCK_ROWS, 1);
  }
  for (; m < M; m++) {
    int n = 0;
    for (; n + BLOCK_VECTORS * VW <= N; n += BLOCK_VECTORS * VW) PRODUCT_BLOCK(1, BLOCK_VECTORS);
    for (; n + VW <= N; n += VW) PRODUCT_BLOCK(1, 1);
  }
  /* Columns left over when N is not a multiple of the register width. */
  for (int n = N - N % VW; n < N; n++) {
    for (m = 0; m < M; m++) {
      float sum = 0.0f;
      if (start == START_OUTPUT) sum = c[(size_t)m * N + n];
      if (start == START_ROW) sum = row[n];
      for (int k = 0; k < K; k++) sum += a[(size_t)m * a_row + (size_t)k * a_col] * b[(size_t)k * N + n];
      c[(size_t)m * N + n] = sum;
    }
  }
}

/* ---------- Dense layers ---------- */

/* out[B][N] = in[B][K] · kernel[K][N] + bias[N] */
static void dense_forward(const float *in, const float *kernel, const float *bias, float *out, int batch, int k_in, int n_out) {
  if (n_out == 1) {
    /* One output: a dot product per row, summed along the contiguous inputs. */
    for (int b = 0; b < batch; b++) {
      const float *x = in + (size_t)b * k_in;
      float sum = 0.0f;
      for (int k = 0; k < k_in; k++) sum += x[k] * kernel[k];
      out[b] = sum + bias[0];
    }
    return;
  }
  product(batch, n_out, k_in, in, (size_t)k_in, 1, kernel, out, START_ROW, bias);
}

/* Accumulates kernel and bias gradients: dKernel += inᵀ · dOut, dBias += Σ_b dOut. */
static void dense_grad_params(const float *in, const float *d_out, float *d_kernel, float *d_bias, int batch, int k_in, int n_out) {
  for (int b = 0; b < batch; b++) {
    const float *g = d_out + (size_t)b * n_out;
    for (int j = 0; j < n_out; j++) d_bias[j] += g[j];
  }
  if (n_out == 1) {
    for (int b = 0; b < batch; b++) {
      const float *x = in + (size_t)b * k_in;
      float g = d_out[b];
      for (int k = 0; k < k_in; k++) d_kernel[k] += x[k] * g;
    }
    return;
  }
  product(k_in, n_out, batch, in, 1, (size_t)k_in, d_out, d_kernel, START_OUTPUT, 0);
}

/* dIn[B][K] = dOut[B][N] · kernelᵀ, using `transposed` ([N][K] scratch) for the product. */
static void dense_grad_input(const float *d_out, const float *kernel, float *d_in, float *transposed, int batch, int k_in, int n_out) {
  if (n_out == 1) {
    for (int b = 0; b < batch; b++)
      for (int k = 0; k < k_in; k++) d_in[(size_t)b * k_in + k] = d_out[b] * kernel[k];
    return;
  }
  if (k_in == 1) {
    dense_forward(d_out, kernel, &(float){0.0f}, d_in, batch, n_out, 1);
    return;
  }
  for (int k = 0; k < k_in; k++)
    for (int n = 0; n < n_out; n++) transposed[(size_t)n * k_in + k] = kernel[(size_t)k * n_out + n];
  product(batch, k_in, n_out, d_out, (size_t)n_out, 1, transposed, d_in, START_ZERO, 0);
}

/* ---------- Arena: every buffer of a trial, carved from memory the caller provides ---------- */

typedef struct {
  unsigned char *base;
  size_t used, capacity;
  int measure_only; /* count the bytes a layout needs without touching memory */
} Arena;

/* Returns `count` zeroed floats aligned to 64 bytes, or 0 when the arena is full. A
 * measuring arena only advances `used`, which is how a caller sizes an arena. */
static float *arena_floats(Arena *arena, size_t count) {
  uintptr_t origin = (uintptr_t)arena->base;
  size_t start = ((origin + arena->used + 63) & ~(uintptr_t)63) - origin;
  size_t end = start + count * sizeof(float);
  if (arena->measure_only) {
    arena->used = end;
    return (float *)64; /* any non-null value: a measuring layout never dereferences it */
  }
  if (end > arena->capacity) return 0;
  arena->used = end;
  float *memory = (float *)(arena->base + start);
  for (size_t i = 0; i < count; i++) memory[i] = 0.0f;
  return memory;
}

/* ---------- Networks ---------- */

typedef struct {
  int widths[4];          /* inputs, hidden, hidden, outputs */
  int count;              /* number of parameters */
  float *params, *grads, *first_moment, *second_moment;
  float beta1_power, beta2_power;
  float *kernel[3], *bias[3], *d_kernel[3], *d_bias[3];
} Network;

static int network_init(Network *net, Arena *arena, int inputs, int hidden) {
  int widths[4] = { inputs, hidden, hidden, 1 };
  net->count = 0;
  for (int l = 0; l < 3; l++) {
    net->widths[l] = widths[l];
    net->count += widths[l] * widths[l + 1] + widths[l + 1];
  }
  net->widths[3] = 1;
  net->params = arena_floats(arena, net->count);
  net->grads = arena_floats(arena, net->count);
  net->first_moment = arena_floats(arena, net->count);
  net->second_moment = arena_floats(arena, net->count);
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

typedef struct Gan {
  Network generator, discriminator;
  int latent, g_hidden, d_hidden, batch, chunk;
  /* Per-step buffers. The generator keeps post-activation outputs: ReLU's derivative is
   * (output > 0), and tanh's is 1 − output². */
  float *real, *noise, *g_h1, *g_h2, *fake;
  float *d_real_h1, *d_real_h2, *real_logits, *d_fake_h1, *d_fake_h2, *fake_logits;
  float *d_logits, *d_h2, *d_h1, *d_x, *d_g_h2, *d_g_h1;
  /* A hidden layer's kernel transposed, for the input-gradient product. */
  float *transposed;
  /* Evaluation buffers, `chunk` rows at a time. */
  float *io_in, *io_out, *e_h1, *e_h2;
  /* Flags that another thread sets to 1 to stop the trial, polled by the products; null
   * when unused. A native call cannot be interrupted from outside, unlike WebAssembly. */
  const volatile int *stop_flags[2];
  /* Set when a stop request cut a call short; its results are then not valid. */
  int interrupted;
} Gan;

#ifdef GAN_INTERRUPTIBLE
/* The trial whose call this thread is running, for stop_requested. */
static _Thread_local Gan *running_trial;

static int stop_requested(void) {
  Gan *gan = running_trial;
  if (gan == 0) return 0;
  for (int i = 0; i < 2 && !gan->interrupted; i++) {
    if (gan->stop_flags[i] != 0 && __atomic_load_n(gan->stop_flags[i], __ATOMIC_RELAXED) != 0) gan->interrupted = 1;
  }
  return gan->interrupted;
}

static void begin_call(Gan *gan) { running_trial = gan; }
static void end_call(void) { running_trial = 0; }
#else
/* WebAssembly stops at the next loop iteration when its thread is terminated, so it needs no polling. */
static int stop_requested(void) { return 0; }
static void begin_call(Gan *gan) { (void)gan; }
static void end_call(void) {}
#endif

/* Lays out a trial's buffers in `arena`, or only measures them when the arena is measuring. */
static int gan_layout(Gan *gan, Arena *arena, int latent, int g_hidden, int d_hidden, int batch, int chunk) {
  gan->latent = latent;
  gan->g_hidden = g_hidden;
  gan->d_hidden = d_hidden;
  gan->batch = batch;
  gan->chunk = chunk;
  gan->stop_flags[0] = gan->stop_flags[1] = 0;
  gan->interrupted = 0;
  if (network_init(&gan->generator, arena, latent, g_hidden) || network_init(&gan->discriminator, arena, 1, d_hidden)) return -1;

  int widest = g_hidden > d_hidden ? g_hidden : d_hidden;
  size_t rows = (size_t)batch;
  float **buffers[] = {
    &gan->real, &gan->noise, &gan->g_h1, &gan->g_h2, &gan->fake, &gan->d_real_h1, &gan->d_real_h2,
    &gan->real_logits, &gan->d_fake_h1, &gan->d_fake_h2, &gan->fake_logits, &gan->d_logits, &gan->d_h2,
    &gan->d_h1, &gan->d_x, &gan->d_g_h2, &gan->d_g_h1, &gan->transposed, &gan->io_in, &gan->io_out,
    &gan->e_h1, &gan->e_h2,
  };
  size_t sizes[] = {
    rows, rows * latent, rows * g_hidden, rows * g_hidden, rows, rows * d_hidden, rows * d_hidden,
    rows, rows * d_hidden, rows * d_hidden, rows, rows, rows * d_hidden,
    rows * d_hidden, rows, rows * g_hidden, rows * g_hidden, (size_t)widest * widest,
    (size_t)chunk * (latent > 1 ? latent : 1), (size_t)chunk,
    (size_t)chunk * widest, (size_t)chunk * widest,
  };
  for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
    *buffers[i] = arena_floats(arena, sizes[i]);
    if (!*buffers[i]) return -1;
  }
  return 0;
}

/* Generator forward: z[rows][latent] → samples[rows]. */
static void generate_rows(Gan *gan, const float *z, float *h1, float *h2, float *out, int rows) {
  Network *g = &gan->generator;
  int hidden = gan->g_hidden;
  dense_forward(z, g->kernel[0], g->bias[0], h1, rows, gan->latent, hidden);
  for (size_t i = 0; i < (size_t)rows * hidden; i++) h1[i] = fmaxf0(h1[i]);
  dense_forward(h1, g->kernel[1], g->bias[1], h2, rows, hidden, hidden);
  for (size_t i = 0; i < (size_t)rows * hidden; i++) h2[i] = fmaxf0(h2[i]);
  dense_forward(h2, g->kernel[2], g->bias[2], out, rows, hidden, 1);
}

/* Discriminator forward: x[rows] → logits[rows]. */
static void discriminate_rows(Gan *gan, const float *x, float *h1, float *h2, float *logits, int rows) {
  Network *d = &gan->discriminator;
  int hidden = gan->d_hidden;
  dense_forward(x, d->kernel[0], d->bias[0], h1, rows, 1, hidden);
  for (size_t i = 0; i < (size_t)rows * hidden; i++) h1[i] = ftanh(h1[i]);
  dense_forward(h1, d->kernel[1], d->bias[1], h2, rows, hidden, hidden);
  for (size_t i = 0; i < (size_t)rows * hidden; i++) h2[i] = fmaxf0(h2[i]);
  dense_forward(h2, d->kernel[2], d->bias[2], logits, rows, hidden, 1);
}

/* Backpropagates d_logits through the discriminator, accumulating its parameter
 * gradients when `accumulate` is set, and writes dL/dx to d_x when `want_input` is set. */
static void discriminator_backward(Gan *gan, const float *x, const float *h1, const float *h2, int accumulate, int want_input) {
  Network *d = &gan->discriminator;
  int batch = gan->batch, hidden = gan->d_hidden;
  float *d_h2 = gan->d_h2, *d_h1 = gan->d_h1;
  if (accumulate) dense_grad_params(h2, gan->d_logits, d->d_kernel[2], d->d_bias[2], batch, hidden, 1);
  dense_grad_input(gan->d_logits, d->kernel[2], d_h2, gan->transposed, batch, hidden, 1);
  for (size_t i = 0; i < (size_t)batch * hidden; i++) d_h2[i] = h2[i] > 0.0f ? d_h2[i] : 0.0f;
  if (accumulate) dense_grad_params(h1, d_h2, d->d_kernel[1], d->d_bias[1], batch, hidden, hidden);
  dense_grad_input(d_h2, d->kernel[1], d_h1, gan->transposed, batch, hidden, hidden);
  for (size_t i = 0; i < (size_t)batch * hidden; i++) d_h1[i] *= 1.0f - h1[i] * h1[i];
  if (accumulate) dense_grad_params(x, d_h1, d->d_kernel[0], d->d_bias[0], batch, 1, hidden);
  if (want_input) dense_grad_input(d_h1, d->kernel[0], gan->d_x, gan->transposed, batch, 1, hidden);
}

/*
 * Discriminator loss ½·(mean softplus(−l_real) + mean softplus(l_fake)) and its gradient
 * with respect to D's parameters, left in D's gradients. The derivatives of the two terms
 * with respect to each logit are −½·σ(−l)/B and ½·σ(l)/B.
 */
GAN_API float gan_discriminator_loss_and_grads(Gan *gan) {
  begin_call(gan);
  int batch = gan->batch;
  generate_rows(gan, gan->noise, gan->g_h1, gan->g_h2, gan->fake, batch);
  discriminate_rows(gan, gan->real, gan->d_real_h1, gan->d_real_h2, gan->real_logits, batch);
  discriminate_rows(gan, gan->fake, gan->d_fake_h1, gan->d_fake_h2, gan->fake_logits, batch);

  float real_sum = 0.0f, fake_sum = 0.0f;
  for (int b = 0; b < batch; b++) {
    real_sum += softplus(-gan->real_logits[b]);
    fake_sum += softplus(gan->fake_logits[b]);
  }
  float scale = 0.5f / (float)batch;

  zero(gan->discriminator.grads, gan->discriminator.count);
  for (int b = 0; b < batch; b++) gan->d_logits[b] = -scale * sigmoid(-gan->real_logits[b]);
  discriminator_backward(gan, gan->real, gan->d_real_h1, gan->d_real_h2, 1, 0);
  for (int b = 0; b < batch; b++) gan->d_logits[b] = scale * sigmoid(gan->fake_logits[b]);
  discriminator_backward(gan, gan->fake, gan->d_fake_h1, gan->d_fake_h2, 1, 0);

  end_call();
  return 0.5f * (real_sum / (float)batch + fake_sum / (float)batch);
}

/*
 * Non-saturating generator loss mean softplus(−l_fake) and its gradient with respect to
 * G's parameters, left in G's gradients; dL/dl = −σ(−l)/B flows back through D (whose
 * parameters are not updated) into G.
 */
GAN_API float gan_generator_loss_and_grads(Gan *gan) {
  begin_call(gan);
  int batch = gan->batch, hidden = gan->g_hidden;
  Network *g = &gan->generator;
  generate_rows(gan, gan->noise, gan->g_h1, gan->g_h2, gan->fake, batch);
  discriminate_rows(gan, gan->fake, gan->d_fake_h1, gan->d_fake_h2, gan->fake_logits, batch);

  float sum = 0.0f;
  for (int b = 0; b < batch; b++) sum += softplus(-gan->fake_logits[b]);
  float scale = 1.0f / (float)batch;
  for (int b = 0; b < batch; b++) gan->d_logits[b] = -scale * sigmoid(-gan->fake_logits[b]);
  discriminator_backward(gan, gan->fake, gan->d_fake_h1, gan->d_fake_h2, 0, 1);

  float *d_g_h2 = gan->d_g_h2, *d_g_h1 = gan->d_g_h1;
  zero(g->grads, g->count);
  dense_grad_params(gan->g_h2, gan->d_x, g->d_kernel[2], g->d_bias[2], batch, hidden, 1);
  dense_grad_input(gan->d_x, g->kernel[2], d_g_h2, gan->transposed, batch, hidden, 1);
  for (size_t i = 0; i < (size_t)batch * hidden; i++) d_g_h2[i] = gan->g_h2[i] > 0.0f ? d_g_h2[i] : 0.0f;
  dense_grad_params(gan->g_h1, d_g_h2, g->d_kernel[1], g->d_bias[1], batch, hidden, hidden);
  dense_grad_input(d_g_h2, g->kernel[1], d_g_h1, gan->transposed, batch, hidden, hidden);
  for (size_t i = 0; i < (size_t)batch * hidden; i++) d_g_h1[i] = gan->g_h1[i] > 0.0f ? d_g_h1[i] : 0.0f;
  dense_grad_params(gan->noise, d_g_h1, g->d_kernel[0], g->d_bias[0], batch, gan->latent, hidden);

  end_call();
  return sum * scale;
}

static Network *network(Gan *gan, int which) {
  return which == 0 ? &gan->generator : &gan->discriminator;
}

/* Applies one Adam step to network `which` (0 generator, 1 discriminator) from its gradients. */
GAN_API void gan_adam(Gan *gan, int which, float learning_rate, float beta1, float beta2, float epsilon) {
  adam_update(network(gan, which), learning_rate, beta1, beta2, epsilon);
}

/* One discriminator update on the real and noise buffers; returns the loss before it. */
GAN_API float gan_discriminator_step(Gan *gan, float learning_rate, float beta1, float beta2, float epsilon) {
  float loss = gan_discriminator_loss_and_grads(gan);
  adam_update(&gan->discriminator, learning_rate, beta1, beta2, epsilon);
  return loss;
}

/* One generator update on the noise buffer; returns the loss before it. */
GAN_API float gan_generator_step(Gan *gan, float learning_rate, float beta1, float beta2, float epsilon) {
  float loss = gan_generator_loss_and_grads(gan);
  adam_update(&gan->generator, learning_rate, beta1, beta2, epsilon);
  return loss;
}

/* Generator on `rows` ≤ chunk noise rows in io_in; samples go to io_out. */
GAN_API void gan_generate(Gan *gan, int rows) {
  begin_call(gan);
  generate_rows(gan, gan->io_in, gan->e_h1, gan->e_h2, gan->io_out, rows);
  end_call();
}

/* D(x) = σ(logit) for `rows` ≤ chunk points in io_in; results go to io_out. */
GAN_API void gan_discriminate(Gan *gan, int rows) {
  begin_call(gan);
  discriminate_rows(gan, gan->io_in, gan->e_h1, gan->e_h2, gan->io_out, rows);
  for (int i = 0; i < rows; i++) gan->io_out[i] = sigmoid(gan->io_out[i]);
  end_call();
}

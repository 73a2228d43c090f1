"""Time the reference GAN training step and a 1024x1024 matrix product in PyTorch.

The step is the one gansweep trains: one discriminator update on fixed real and noise
batches, then one non-saturating generator update, each with its own Adam optimizer. It
runs on one thread so that it compares with one gansweep worker. `npm run bench` runs
this script with Debian's /usr/bin/python3 and reads the JSON it prints on stdout:

    /usr/bin/python3 bench/torch_step.py --sizes 8,32,256 8,64,512 --repeats 7
"""

import argparse
import json
import os
import statistics
import time

import torch
import torch.nn.functional as F
from torch import nn

ADAM_BETAS = (0.5, 0.999)
ADAM_EPSILON = 1e-7
LEARNING_RATE = 1e-3
MATMUL_SIZE = 1024


def loaded_blas_libraries() -> list[str]:
    """Return the resolved paths of the BLAS libraries mapped into this process (Linux only)."""
    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            paths = {line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line}
    except OSError:
        return []
    return sorted({os.path.realpath(path) for path in paths})


def dense(inputs: int, outputs: int) -> nn.Linear:
    """Create a dense layer with a Glorot-uniform kernel and a zero bias."""
    layer = nn.Linear(inputs, outputs)
    nn.init.xavier_uniform_(layer.weight)
    nn.init.zeros_(layer.bias)
    return layer


def build_step(latent: int, hidden: int, batch: int):
    """Build the networks, the optimizers and fixed batches, and return a function that trains one step."""
    generator = nn.Sequential(dense(latent, hidden), nn.ReLU(), dense(hidden, hidden), nn.ReLU(), dense(hidden, 1))
    discriminator = nn.Sequential(dense(1, hidden), nn.Tanh(), dense(hidden, hidden), nn.ReLU(), dense(hidden, 1))
    generator_optimizer = torch.optim.Adam(generator.parameters(), lr=LEARNING_RATE, betas=ADAM_BETAS, eps=ADAM_EPSILON)
    discriminator_optimizer = torch.optim.Adam(discriminator.parameters(), lr=LEARNING_RATE, betas=ADAM_BETAS, eps=ADAM_EPSILON)
    generator_parameters = list(generator.parameters())

    real = torch.randn(batch, 1) * 4.0
    noise = torch.randn(batch, latent)

    def step() -> tuple[float, float]:
        # Discriminator update: G(z) is a constant, so only D's parameters get gradients.
        with torch.no_grad():
            fake = generator(noise)
        discriminator_optimizer.zero_grad(set_to_none=True)
        # −½·E[log D(x) + log(1 − D(G(z)))] written with softplus on the logits.
        d_loss = 0.5 * (F.softplus(-discriminator(real)).mean() + F.softplus(discriminator(fake)).mean())
        d_loss.backward()
        discriminator_optimizer.step()

        # Generator update: backpropagate through D into G. autograd.grad requests G's
        # gradients only, so D's weight gradients are not computed, as in gansweep.
        g_loss = F.softplus(-discriminator(generator(noise))).mean()
        gradients = torch.autograd.grad(g_loss, generator_parameters)
        for parameter, gradient in zip(generator_parameters, gradients):
            parameter.grad = gradient
        generator_optimizer.step()

        return d_loss.item(), g_loss.item()

    return step


def time_repeats(run, repeats: int, repeat_seconds: float, warmup_seconds: float) -> dict:
    """Warm up, size a repeat to about `repeat_seconds`, then time `repeats` repeats of `run`."""
    calls = 0
    started = time.perf_counter()
    while calls < 2 or time.perf_counter() - started < warmup_seconds:
        run()
        calls += 1
    seconds_per_call = (time.perf_counter() - started) / calls
    calls_per_repeat = max(1, round(repeat_seconds / seconds_per_call))

    per_call = []
    for _ in range(repeats):
        started = time.perf_counter()
        for _ in range(calls_per_repeat):
            run()
        per_call.append((time.perf_counter() - started) / calls_per_repeat)
    return {"callsPerRepeat": calls_per_repeat, "medianSeconds": statistics.median(per_call), "repeatSeconds": per_call}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["8,32,256", "8,64,512"], help="latent,hidden,batch triples")
    parser.add_argument("--repeats", type=int, default=7, help="timed repeats per measurement (default 7)")
    parser.add_argument("--repeat-seconds", type=float, default=0.2, help="target length of one repeat (default 0.2 s)")
    parser.add_argument("--warmup-seconds", type=float, default=0.5, help="untimed warm-up per measurement (default 0.5 s)")
    args = parser.parse_args()

    torch.set_num_threads(1)
    torch.manual_seed(0)

    steps = []
    for size in args.sizes:
        latent, hidden, batch = (int(value) for value in size.split(","))
        timing = time_repeats(build_step(latent, hidden, batch), args.repeats, args.repeat_seconds, args.warmup_seconds)
        steps.append({"latent": latent, "hidden": hidden, "batch": batch, **timing})

    a = torch.randn(MATMUL_SIZE, MATMUL_SIZE)
    b = torch.randn(MATMUL_SIZE, MATMUL_SIZE)
    out = torch.empty(MATMUL_SIZE, MATMUL_SIZE)
    matmul = time_repeats(lambda: torch.mm(a, b, out=out), args.repeats, args.repeat_seconds, args.warmup_seconds)
    matmul_flops = 2 * MATMUL_SIZE**3

    # torch.mm goes through the BLAS that torch was linked against. Debian's python3-torch
    # 1.13 uses whichever libblas.so.3 the alternatives system selects, which is the netlib
    # reference BLAS unless OpenBLAS or BLIS is installed. oneDNN (MKL-DNN) is compiled into
    # torch itself, so its product shows what the CPU reaches on one thread either way.
    onednn = None
    if torch.backends.mkldnn.is_available():
        a_onednn = a.to_mkldnn()
        b_transposed_onednn = b.t().contiguous().to_mkldnn()
        onednn_timing = time_repeats(
            lambda: torch._C._nn.mkldnn_linear(a_onednn, b_transposed_onednn, None),
            args.repeats, args.repeat_seconds, args.warmup_seconds,
        )
        onednn = {"size": MATMUL_SIZE, **onednn_timing, "gflops": matmul_flops / onednn_timing["medianSeconds"] / 1e9}

    print(json.dumps({
        "torchVersion": torch.__version__,
        "threads": torch.get_num_threads(),
        "blasLibraries": loaded_blas_libraries(),
        "steps": steps,
        "matmul": {"size": MATMUL_SIZE, **matmul, "gflops": matmul_flops / matmul["medianSeconds"] / 1e9},
        "onednnMatmul": onednn,
    }))


if __name__ == "__main__":
    main()

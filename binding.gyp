{
  "targets": [
    {
      "target_name": "gansweep_fused",
      "sources": [
        "workers/fused/native/addon.c",
        "workers/fused/native/kernels_baseline.c",
        "workers/fused/native/kernels_avx2.c"
      ],
      "cflags": [
        "-O3",
        "-std=gnu11",
        "-Wall",
        "-Wextra",
        "-fno-math-errno",
        "-fno-trapping-math",
        "-fno-signed-zeros",
        "-fassociative-math",
        "-freciprocal-math"
      ]
    }
  ]
}

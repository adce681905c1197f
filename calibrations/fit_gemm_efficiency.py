#!/usr/bin/env python3
"""Fits the Hopper FP8 GEMM efficiency curve (topologies/efficiency/hopper.toml [gemm_fp8]) to
DeepGEMM's published H800 rows by grid search on squared log error, with the same roofline the
compute model uses (sim/compute/compute_model.cpp). Provenance for the fitted constants; run
with python3, no dependencies. Rows copied from component_benchmarks.csv (deepgemm-*)."""
import math

ROWS = [  # (id, M, N, K, groups, published TFLOP/s): DeepGEMM README @55ab91f, H800 SXM5, FP8
    ('deepgemm-dense-64x2112x7168', 64, 2112, 7168, 1, 206.0),
    ('deepgemm-dense-128x7168x16384', 128, 7168, 16384, 1, 645.0),
    ('deepgemm-dense-4096x2112x7168', 4096, 2112, 7168, 1, 1009.0),
    ('deepgemm-dense-4096x24576x1536', 4096, 24576, 1536, 1, 1125.0),
    ('deepgemm-dense-4096x32768x512', 4096, 32768, 512, 1, 751.0),
    ('deepgemm-dense-4096x7168x16384', 4096, 7168, 16384, 1, 1426.0),
    ('deepgemm-dense-4096x4096x7168', 4096, 4096, 7168, 1, 1265.0),
    ('deepgemm-dense-4096x7168x2048', 4096, 7168, 2048, 1, 1168.0),
    ('deepgemm-grouped-contig-8192x4096x7168', 8192, 4096, 7168, 4, 1346.0),
    ('deepgemm-grouped-contig-8192x7168x2048', 8192, 7168, 2048, 4, 1214.0),
    ('deepgemm-grouped-masked-1024x4096x7168', 1024, 4096, 7168, 1, 1233.0),
    ('deepgemm-grouped-masked-256x7168x2048', 256, 7168, 2048, 4, 815.0),
]

PEAK = 1978.9e12          # H800 dense FP8, topologies/gpus.toml
HBM = 3.35e12 * 0.90      # HBM bandwidth x memory efficiency (hopper.toml)
LAUNCH = 4e-6             # kernel_launch (hopper.toml)


def predict(p, m, n, k, g):
    pf, mh, nh, kh = p
    eff = pf * m / (m + mh) * n / (n + nh) * k / (k + kh)
    flops = 2.0 * m * n * k * g
    traffic = g * ((m * k + k * n) * 1 + m * n * 2)   # FP8 inputs, BF16 output
    t = max(flops / (PEAK * eff), traffic / HBM) + LAUNCH
    return flops / t / 1e12


def main():
    best = None
    for pf in [0.80, 0.83, 0.85, 0.87, 0.90, 0.93, 0.96]:
        for mh in [32, 48, 64, 80, 96, 128]:
            for nh in [256, 384, 512, 640, 768, 896, 1024, 1280]:
                for kh in [128, 256, 384, 512, 640, 768, 1024]:
                    p = (pf, mh, nh, kh)
                    err = sum(math.log(predict(p, *r[1:5]) / r[5]) ** 2 for r in ROWS)
                    if best is None or err < best[0]:
                        best = (err, p)
    print("peak_fraction, m_half, n_half, k_half =", best[1])
    for r in ROWS:
        pr = predict(best[1], *r[1:5])
        print(f"{r[0]:45s} published {r[5]:6.0f} model {pr:6.0f} error {100 * (pr / r[5] - 1):+.1f}%")


if __name__ == "__main__":
    main()

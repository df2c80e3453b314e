"""The mpmath table of src/numerics/special/beta/small_sums.rs's test
`half_integer_tails_match_mpmath`: ln T and x^a y^b/(B(a, b) T) for the tails
T = I_x(a, b) (lower) and 1 - I_x(a, b) of a half-integer a, at 60 digits
(the hypergeometric series x^a y^b/(a B(a, b)) 2F1(a + b, 1; a + 1; x), DLMF
8.17.8, summed term by term; 1 - I by subtraction).

Run: python3 scripts/gen_half_sum_table.py (prints the rows).
"""

import mpmath as mp

mp.mp.dps = 60


def lower_tail(a, b, x):
    a, b, x = mp.mpf(a), mp.mpf(b), mp.mpf(x)
    front = x**a * (1 - x) ** b / mp.beta(a, b)
    term, total, k = mp.mpf(1), mp.mpf(1), 0
    while True:
        term *= (a + b + k) * x / (a + 1 + k)
        total += term
        k += 1
        if term < total * mp.mpf(10) ** -55:
            break
    return front / a * total, front


def main() -> None:
    for a in [0.5, 1.5, 4.5, 12.5, 29.5]:
        for b in [30.0, 30.5, 1000.5, 99999.5, 1e7]:
            for x in [1e-9, 0.3 / b, 3.0 / b, 20.0 / b, 60.0 / b, 0.5]:
                if x > 0.5 or (x == 0.5 and b > 31):
                    continue
                x = float(x)
                lo, front = lower_tail(a, b, x)
                for lower, t in ((True, lo), (False, 1 - lo)):
                    ln_t = mp.nstr(mp.log(t), 20, min_fixed=-1, max_fixed=-1)
                    ratio = mp.nstr(front / t, 20, min_fixed=-1, max_fixed=-1)
                    flag = str(lower).lower()
                    print(f"            ({a!r}, {b!r}, {x!r}, {flag}, {ln_t}, {ratio}),")


if __name__ == "__main__":
    main()

"""The pandas + xgboost program a Python user would write for benchmarks/adult-1m.sh: the same work as the
benchmark pipeline (benchmarks/adult-scaled.yaml) and PlainAdult.java. Reads the scaled adult CSV with
pandas, fits z-scores (population standard deviation; a constant column maps to 0; missing stays missing)
and vocabularies (terms seen at least 5 times, one-hot, plus one out-of-vocabulary column; a missing value
is all zeros), builds the dense float32 matrix, trains XGBoost (hist, depth 6, eta 0.1, ROUNDS rounds) and
reports the AUC on adult.test. Prints one JSON line with the phases' seconds and the test AUC.

Usage: python pandas_adult.py TRAIN.csv TEST.csv ROUNDS
"""
import json
import sys
import time

import numpy as np
import pandas as pd
import xgboost as xgb

NAMES = ["age", "workclass", "fnlwgt", "education", "education-num", "marital-status", "occupation",
         "relationship", "race", "sex", "capital-gain", "capital-loss", "hours-per-week", "native-country", "income"]
NUMERIC = ["age", "fnlwgt", "education-num", "capital-gain", "capital-loss", "hours-per-week"]
CATEGORICAL = [c for c in NAMES[:-1] if c not in NUMERIC]


def read(path, skip):
    return pd.read_csv(path, header=None, names=NAMES, skiprows=skip, skipinitialspace=True, na_values=["?"],
                       keep_default_na=False, dtype={c: "category" for c in CATEGORICAL + ["income"]})


def fit(train):
    moments = {}
    for c in NUMERIC:
        v = train[c].astype("float64")
        mean = v.mean()
        std = v.std(ddof=0)
        moments[c] = (mean, std)
    vocabularies = {}
    for c in CATEGORICAL:
        counts = train[c].value_counts()
        counts = counts[counts >= 5]
        # Most frequent first, ties by the term, as Beamline orders them.
        terms = sorted(counts.index.astype(str), key=lambda t: (-counts[t], t))
        vocabularies[c] = terms
    return moments, vocabularies


def apply(frame, moments, vocabularies):
    width = len(NUMERIC) + sum(len(t) + 1 for t in vocabularies.values())
    x = np.zeros((len(frame), width), dtype=np.float32)
    col = 0
    for c in NAMES[:-1]:
        if c in moments:
            mean, std = moments[c]
            v = frame[c].to_numpy(dtype="float64")
            x[:, col] = (v - mean) / std if std > 0 else np.where(np.isnan(v), np.nan, 0.0)
            col += 1
        else:
            terms = vocabularies[c]
            index = {t: i for i, t in enumerate(terms)}
            codes = frame[c].cat.categories.astype(str).map(lambda t: index.get(t, len(terms))).to_numpy()
            raw = frame[c].cat.codes.to_numpy()
            present = raw >= 0
            x[np.nonzero(present)[0], col + codes[raw[present]]] = 1.0
            col += len(terms) + 1
    y = frame["income"].astype(str).str.rstrip(".").eq(">50K").to_numpy(dtype=np.float32)
    return x, y


def auc(y, p):
    order = np.argsort(p, kind="mergesort")
    ranks = np.empty(len(p))
    ranks[order] = np.arange(1, len(p) + 1)
    # Ties share their mean rank.
    sorted_p = p[order]
    i = 0
    while i < len(p):
        j = i
        while j + 1 < len(p) and sorted_p[j + 1] == sorted_p[i]:
            j += 1
        if j > i:
            ranks[order[i:j + 1]] = (i + j + 2) / 2.0
        i = j + 1
    positives = y.sum()
    negatives = len(y) - positives
    return (ranks[y == 1].sum() - positives * (positives + 1) / 2) / (positives * negatives)


def main():
    train_path, test_path, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    t0 = time.time()
    train = read(train_path, 0)
    test = read(test_path, 1)
    t1 = time.time()
    moments, vocabularies = fit(train)
    t2 = time.time()
    x, y = apply(train, moments, vocabularies)
    xt, yt = apply(test, moments, vocabularies)
    dtrain = xgb.DMatrix(x, label=y, missing=np.nan)
    dtest = xgb.DMatrix(xt, label=yt, missing=np.nan)
    del train, x
    t3 = time.time()
    params = {"objective": "binary:logistic", "tree_method": "hist", "eta": 0.1, "max_depth": 6, "seed": 42}
    booster = xgb.train(params, dtrain, rounds)
    t4 = time.time()
    test_auc = auc(yt, booster.predict(dtest))
    print(json.dumps({"rows": int(dtrain.num_row()), "features": int(dtrain.num_col()), "parse": round(t1 - t0, 2),
                      "fit": round(t2 - t1, 2), "apply_matrix": round(t3 - t2, 2), "train": round(t4 - t3, 2),
                      "test_auc": round(float(test_auc), 5)}))


if __name__ == "__main__":
    main()

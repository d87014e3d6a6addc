"""Spark ML's CrossValidator over xgboost's Spark estimator, doing the search benchmarks/tuning-speed.sh
gives Beamline: the same trials (the parameter maps are Beamline's drawn values, from its trials.json), the
same number of folds, the same features fitted inside each fold (z-scores of the numeric columns, one-hot
vocabularies of the categorical ones with a minimum count of 5), the same rounds, on adult.data.

    python tuning_spark.py ADULT_DATA TRIALS_JSON ROUNDS FOLDS
Prints one JSON line: wall seconds (session start to the fitted CrossValidator), the best trial's index and
its mean auc, and every trial's mean auc.
"""
import json, os, sys, time
t0 = time.time()
os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # Spark's Python workers: this environment's python
from pyspark.sql import SparkSession, functions as F
from pyspark.ml import Pipeline
from pyspark.ml.feature import StringIndexer, OneHotEncoder, VectorAssembler, StandardScaler
from pyspark.ml.evaluation import BinaryClassificationEvaluator
from pyspark.ml.tuning import CrossValidator
from xgboost.spark import SparkXGBClassifier

data, trials_json, rounds, folds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
spark = (SparkSession.builder.master("local[2]").appName("tuning-benchmark")
         .config("spark.driver.memory", "6g").config("spark.ui.enabled", "false")
         .config("spark.task.cpus", "2")  # xgboost trains with a task's cores: both, one fit at a time
         .getOrCreate())
spark.sparkContext.setLogLevel("ERROR")
cols = ["age", "workclass", "fnlwgt", "education", "education-num", "marital-status", "occupation", "relationship", "race",
        "sex", "capital-gain", "capital-loss", "hours-per-week", "native-country", "income"]
numeric = ["age", "fnlwgt", "education-num", "capital-gain", "capital-loss", "hours-per-week"]
categorical = [c for c in cols[:-1] if c not in numeric]
df = spark.read.csv(data, header=False, inferSchema=True, ignoreLeadingWhiteSpace=True, nullValue="?").toDF(*cols)
df = df.filter(F.col("age").isNotNull() & (F.col("age") != "age"))  # adult.data's own header line
df = df.withColumn("label", (F.trim(F.col("income")) == ">50K").cast("double"))
for c in numeric:
    df = df.withColumn(c, F.col(c).cast("double"))
df = df.na.fill("missing", categorical).cache()
indexers = [StringIndexer(inputCol=c, outputCol=c + "_i", handleInvalid="keep") for c in categorical]
encoder = OneHotEncoder(inputCols=[c + "_i" for c in categorical], outputCols=[c + "_v" for c in categorical], handleInvalid="keep")
num = VectorAssembler(inputCols=numeric, outputCol="num_raw", handleInvalid="keep")
scaler = StandardScaler(inputCol="num_raw", outputCol="num", withMean=True, withStd=True)
features = VectorAssembler(inputCols=["num"] + [c + "_v" for c in categorical], outputCol="features")
xgb = SparkXGBClassifier(features_col="features", label_col="label", n_estimators=rounds, tree_method="hist", num_workers=1,
                         random_state=42)
pipeline = Pipeline(stages=indexers + [encoder, num, scaler, features, xgb])
names = {"params.eta": "learning_rate", "params.max_depth": "max_depth", "params.min_child_weight": "min_child_weight",
         "params.subsample": "subsample", "params.colsample_bytree": "colsample_bytree"}
maps = []
for t in json.load(open(trials_json))["trials"]:
    maps.append({xgb.getParam(names[k]): v for k, v in t["values"].items()})
cv = CrossValidator(estimator=pipeline, estimatorParamMaps=maps, numFolds=folds, seed=42, parallelism=1,
                    evaluator=BinaryClassificationEvaluator(labelCol="label", rawPredictionCol="rawPrediction", metricName="areaUnderROC"))
model = cv.fit(df)
wall = time.time() - t0
best = max(range(len(maps)), key=lambda i: model.avgMetrics[i])
print(json.dumps({"seconds": wall, "best": best + 1, "best_auc": model.avgMetrics[best], "avg_auc": model.avgMetrics}))
spark.stop()

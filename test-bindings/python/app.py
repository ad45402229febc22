"""The Python twin of test-bindings/typescript/app.ts: the same model service and training job on both backends.

Writes <outdir>/k8s (cdk8s manifests and reports) and <outdir>/ecs (the cloud assembly). test_bindings.py compares every
file with the TypeScript app's, byte for byte.
Usage: python app.py <outdir>
"""
import os
import sys

import aws_cdk as cdk
import cdk8s
from aws_cdk.aws_scheduler import ScheduleExpression

from cdk_compliant_ml import ImageReference, ModelMetadata, ecs, k8s

SCORER_IMAGE = "ghcr.io/acme/fraud-scorer:1.4.2@sha256:" + "a" * 64
TRAINER_IMAGE = "ghcr.io/acme/fraud-train:2.0.1@sha256:" + "c" * 64
ECR_SCORER_IMAGE = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/fraud-scorer:1.4.2@sha256:" + "b" * 64
ECR_TRAINER_IMAGE = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/fraud-train:2.0.1@sha256:" + "c" * 64


def synth_kubernetes(outdir: str) -> None:
    app = cdk8s.App(outdir=outdir)
    chart = cdk8s.Chart(app, "fraud", namespace="fraud")
    k8s.CompliantModelService(
        chart,
        "scorer",
        image=ImageReference.from_string(SCORER_IMAGE),
        model=ModelMetadata(name="fraud-scorer", version="1.4.2"),
        autoscaling=k8s.ModelServiceAutoscaling(min_replicas=2, max_replicas=4),
        log_shipping=k8s.LogShipping.sidecar(
            k8s.LogDestination.otlp_http(host="otel-collector.observability.svc")
        ),
        model_load_timeout=cdk8s.Duration.minutes(5),
    )
    k8s.CompliantTrainingJob(
        chart,
        "retrain",
        image=ImageReference.from_string(TRAINER_IMAGE),
        model=ModelMetadata(name="fraud-scorer", version="1.5.0"),
        schedule="0 3 * * *",
        gpu_count=1,
    )
    app.synth()


def synth_ecs(outdir: str) -> None:
    app = cdk.App(outdir=outdir)
    stack = cdk.Stack(app, "FraudServing")
    ecs.CompliantModelService(
        stack,
        "Scorer",
        image=ImageReference.from_string(ECR_SCORER_IMAGE),
        model=ModelMetadata(name="fraud-scorer", version="1.4.2"),
        autoscaling=ecs.EcsServiceAutoscaling(max_capacity=4),
    )
    job = ecs.CompliantTrainingJob(
        stack,
        "Retrain",
        image=ImageReference.from_string(ECR_TRAINER_IMAGE),
        model=ModelMetadata(name="fraud-scorer", version="1.5.0"),
        schedule=ScheduleExpression.cron(minute="0", hour="3"),
        timeout=cdk.Duration.hours(2),
    )
    job.on_failure("Alert")
    app.synth()


def main(outdir: str) -> None:
    synth_kubernetes(os.path.join(outdir, "k8s"))
    synth_ecs(os.path.join(outdir, "ecs"))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: app.py <outdir>")
    main(sys.argv[1])

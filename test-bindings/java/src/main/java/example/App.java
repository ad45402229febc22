// The Java twin of test-bindings/typescript/app.ts: the same model service and training job on both backends, written to
// <outdir>/k8s (cdk8s manifests and reports) and <outdir>/ecs (the cloud assembly).
package example;

import java.nio.file.Paths;

import io.github.cdkcompliantml.ImageReference;
import io.github.cdkcompliantml.ModelMetadata;
import io.github.cdkcompliantml.ecs.EcsServiceAutoscaling;
import io.github.cdkcompliantml.k8s.LogDestination;
import io.github.cdkcompliantml.k8s.LogShipping;
import io.github.cdkcompliantml.k8s.ModelServiceAutoscaling;
import io.github.cdkcompliantml.k8s.OtlpHttpDestinationOptions;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.scheduler.CronOptionsWithTimezone;
import software.amazon.awscdk.services.scheduler.ScheduleExpression;

public final class App {
    static final String SCORER_IMAGE = "ghcr.io/acme/fraud-scorer:1.4.2@sha256:" + "a".repeat(64);
    static final String TRAINER_IMAGE = "ghcr.io/acme/fraud-train:2.0.1@sha256:" + "c".repeat(64);
    static final String ECR_SCORER_IMAGE = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/fraud-scorer:1.4.2@sha256:" + "b".repeat(64);
    static final String ECR_TRAINER_IMAGE = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/fraud-train:2.0.1@sha256:" + "c".repeat(64);

    private App() {
    }

    static void synthKubernetes(String outdir) {
        org.cdk8s.App app = new org.cdk8s.App(org.cdk8s.AppProps.builder().outdir(outdir).build());
        org.cdk8s.Chart chart = new org.cdk8s.Chart(app, "fraud", org.cdk8s.ChartProps.builder().namespace("fraud").build());
        io.github.cdkcompliantml.k8s.CompliantModelService.Builder.create(chart, "scorer")
                .image(ImageReference.fromString(SCORER_IMAGE))
                .model(ModelMetadata.builder().name("fraud-scorer").version("1.4.2").build())
                .autoscaling(ModelServiceAutoscaling.builder().minReplicas(2).maxReplicas(4).build())
                .logShipping(LogShipping.sidecar(LogDestination.otlpHttp(
                        OtlpHttpDestinationOptions.builder().host("otel-collector.observability.svc").build())))
                .modelLoadTimeout(org.cdk8s.Duration.minutes(5))
                .build();
        io.github.cdkcompliantml.k8s.CompliantTrainingJob.Builder.create(chart, "retrain")
                .image(ImageReference.fromString(TRAINER_IMAGE))
                .model(ModelMetadata.builder().name("fraud-scorer").version("1.5.0").build())
                .schedule("0 3 * * *")
                .gpuCount(1)
                .build();
        app.synth();
    }

    static void synthEcs(String outdir) {
        software.amazon.awscdk.App app = new software.amazon.awscdk.App(software.amazon.awscdk.AppProps.builder().outdir(outdir).build());
        Stack stack = new Stack(app, "FraudServing");
        io.github.cdkcompliantml.ecs.CompliantModelService.Builder.create(stack, "Scorer")
                .image(ImageReference.fromString(ECR_SCORER_IMAGE))
                .model(ModelMetadata.builder().name("fraud-scorer").version("1.4.2").build())
                .autoscaling(EcsServiceAutoscaling.builder().maxCapacity(4).build())
                .build();
        io.github.cdkcompliantml.ecs.CompliantTrainingJob job = io.github.cdkcompliantml.ecs.CompliantTrainingJob.Builder.create(stack, "Retrain")
                .image(ImageReference.fromString(ECR_TRAINER_IMAGE))
                .model(ModelMetadata.builder().name("fraud-scorer").version("1.5.0").build())
                .schedule(ScheduleExpression.cron(CronOptionsWithTimezone.builder().minute("0").hour("3").build()))
                .timeout(software.amazon.awscdk.Duration.hours(2))
                .build();
        job.onFailure("Alert");
        app.synth();
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: App <outdir>");
        }
        synthKubernetes(Paths.get(args[0], "k8s").toString());
        synthEcs(Paths.get(args[0], "ecs").toString());
    }
}

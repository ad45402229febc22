// The Go twin of test-bindings/typescript/app.ts: the same model service and training job on both backends, written to
// <outdir>/k8s (cdk8s manifests and reports) and <outdir>/ecs (the cloud assembly). `npx projen bindings:test` runs it with
// `go run . <outdir>` and compares its output with the TypeScript app's byte for byte.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsscheduler"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdk-compliant-ml/cdk-compliant-ml-go/cdkcompliantml"
	"github.com/cdk-compliant-ml/cdk-compliant-ml-go/cdkcompliantml/ecs"
	"github.com/cdk-compliant-ml/cdk-compliant-ml-go/cdkcompliantml/kubernetes"
	"github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2"
)

var (
	scorerImage     = "ghcr.io/acme/fraud-scorer:1.4.2@sha256:" + strings.Repeat("a", 64)
	trainerImage    = "ghcr.io/acme/fraud-train:2.0.1@sha256:" + strings.Repeat("c", 64)
	ecrScorerImage  = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/fraud-scorer:1.4.2@sha256:" + strings.Repeat("b", 64)
	ecrTrainerImage = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/fraud-train:2.0.1@sha256:" + strings.Repeat("c", 64)
)

func synthKubernetes(outdir string) {
	app := cdk8s.NewApp(&cdk8s.AppProps{Outdir: jsii.String(outdir)})
	chart := cdk8s.NewChart(app, jsii.String("fraud"), &cdk8s.ChartProps{Namespace: jsii.String("fraud")})
	kubernetes.NewCompliantModelService(chart, jsii.String("scorer"), &kubernetes.CompliantModelServiceProps{
		Image:       cdkcompliantml.ImageReference_FromString(jsii.String(scorerImage)),
		Model:       &cdkcompliantml.ModelMetadata{Name: jsii.String("fraud-scorer"), Version: jsii.String("1.4.2")},
		Autoscaling: &kubernetes.ModelServiceAutoscaling{MinReplicas: jsii.Number(2), MaxReplicas: jsii.Number(4)},
		LogShipping: kubernetes.LogShipping_Sidecar(kubernetes.LogDestination_OtlpHttp(
			&kubernetes.OtlpHttpDestinationOptions{Host: jsii.String("otel-collector.observability.svc")}), nil),
		ModelLoadTimeout: cdk8s.Duration_Minutes(jsii.Number(5)),
	})
	kubernetes.NewCompliantTrainingJob(chart, jsii.String("retrain"), &kubernetes.CompliantTrainingJobProps{
		Image:    cdkcompliantml.ImageReference_FromString(jsii.String(trainerImage)),
		Model:    &cdkcompliantml.ModelMetadata{Name: jsii.String("fraud-scorer"), Version: jsii.String("1.5.0")},
		Schedule: jsii.String("0 3 * * *"),
		GpuCount: jsii.Number(1),
	})
	app.Synth()
}

func synthEcs(outdir string) {
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(outdir)})
	stack := awscdk.NewStack(app, jsii.String("FraudServing"), nil)
	ecs.NewCompliantModelService(stack, jsii.String("Scorer"), &ecs.CompliantModelServiceProps{
		Image:       cdkcompliantml.ImageReference_FromString(jsii.String(ecrScorerImage)),
		Model:       &cdkcompliantml.ModelMetadata{Name: jsii.String("fraud-scorer"), Version: jsii.String("1.4.2")},
		Autoscaling: &ecs.EcsServiceAutoscaling{MaxCapacity: jsii.Number(4)},
	})
	job := ecs.NewCompliantTrainingJob(stack, jsii.String("Retrain"), &ecs.CompliantTrainingJobProps{
		Image:    cdkcompliantml.ImageReference_FromString(jsii.String(ecrTrainerImage)),
		Model:    &cdkcompliantml.ModelMetadata{Name: jsii.String("fraud-scorer"), Version: jsii.String("1.5.0")},
		Schedule: awsscheduler.ScheduleExpression_Cron(&awsscheduler.CronOptionsWithTimezone{Minute: jsii.String("0"), Hour: jsii.String("3")}),
		Timeout:  awscdk.Duration_Hours(jsii.Number(2)),
	})
	job.OnFailure(jsii.String("Alert"), nil)
	app.Synth(nil)
}

func main() {
	defer jsii.Close()
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run . <outdir>")
		os.Exit(2)
	}
	synthKubernetes(filepath.Join(os.Args[1], "k8s"))
	synthEcs(filepath.Join(os.Args[1], "ecs"))
}

package dev.modelgate.controller.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.controller.crd.ModelPromotion;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shipped ModelPromotion example is valid and promotes what its comment says. */
class PromotionExampleTest {

    @Test
    void theIrisExamplePromotesAGatedTrainJobByLabel() throws IOException {
        KubernetesSerialization serialization = new KubernetesSerialization();
        ModelPromotion promotion = serialization.unmarshal(
                Files.readString(Path.of("../../deploy/kubernetes/examples/iris-promotion.yaml")), ModelPromotion.class);

        assertThat(PromotionProblems.of(promotion.getSpec())).isEmpty();
        assertThat(promotion.getSpec().rollout().stepWeight()).isEqualTo(10);
        var job = Sources.object(SourceKind.TRAIN_JOB, "train-20261130", "u1",
                Sources.trainJobComplete(Map.of("eval_accuracy", "0.96")));
        assertThat(PromotionReconciler.selects(promotion.getSpec().source(), job)).isTrue();
        assertThat(SourceVerdicts.decide(promotion.getSpec(), job, null))
                .isEqualTo(new SourceVerdict.Promote("s3://models/iris/train-20261130/"));
    }
}

package dev.modelgate.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class S3SettingsTest {
    @Test
    void theS3EndpointWinsOverTheGeneralOne() {
        S3Settings settings = S3Settings.from(Map.of("AWS_ENDPOINT_URL", "http://general:9000",
                "AWS_ENDPOINT_URL_S3", "http://minio:9000", "AWS_REGION", "eu-west-1",
                "AWS_ACCESS_KEY_ID", "id", "AWS_SECRET_ACCESS_KEY", "s3cr3t-value"));
        assertThat(settings.endpoint()).contains(URI.create("http://minio:9000"));
        assertThat(settings.region()).isEqualTo("eu-west-1");
        assertThat(settings.credentials()).hasValueSatisfying(c -> {
            assertThat(c.accessKeyId()).isEqualTo("id");
            assertThat(c.sessionToken()).isEmpty();
            assertThat(c.toString()).doesNotContain("s3cr3t");
        });
    }

    @Test
    void nothingSetMeansAwsAnonymouslyInUsEast1() {
        S3Settings settings = S3Settings.from(Map.of());
        assertThat(settings.endpoint()).isEmpty();
        assertThat(settings.region()).isEqualTo("us-east-1");
        assertThat(settings.credentials()).isEmpty();
        assertThat(S3Settings.from(Map.of("AWS_DEFAULT_REGION", "ap-south-1")).region()).isEqualTo("ap-south-1");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThatThrownBy(() -> S3Settings.from(Map.of("AWS_ENDPOINT_URL", "minio:9000",
                "AWS_REGION", "EU West", "AWS_ACCESS_KEY_ID", "id")))
                .isInstanceOfSatisfying(FetchException.class,
                        e -> assertThat(e.kind()).isEqualTo(FetchException.Kind.INVALID))
                .hasMessageContaining("AWS_ENDPOINT_URL: minio:9000 (expected: an http:// or https:// URL)")
                .hasMessageContaining("AWS_REGION: EU West (expected: a region name")
                .hasMessageContaining("AWS_SECRET_ACCESS_KEY: null (expected: set together with AWS_ACCESS_KEY_ID");
    }
}

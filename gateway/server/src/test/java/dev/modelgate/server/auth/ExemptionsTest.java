package dev.modelgate.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.server.config.AuthConfig.Exempt;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which calls go without a key, per exemption group. */
class ExemptionsTest {
    private static final Set<Exempt> HEALTH = Set.of(Exempt.HEALTH);
    private static final Set<Exempt> BOTH = Set.of(Exempt.HEALTH, Exempt.METADATA);

    @ParameterizedTest
    @ValueSource(strings = {"/v2/health/live", "/v2/health/ready", "/v2/health/ready?x=1",
        "/v2/health/live/", "/v2/models/m/ready", "/v2/models/m/versions/2/ready", "/v1/models/m",
        // GET is routed to V1's ready endpoint for a model named "m:predict"; POST predicts
        "/v1/models/m:predict"})
    void healthPathsAreOpenForGet(String path) {
        assertThat(Exemptions.rest(HEALTH, "GET", path)).isTrue();
        assertThat(Exemptions.rest(HEALTH, "POST", path)).isFalse();
        assertThat(Exemptions.rest(HEALTH, "HEAD", path)).isFalse();
        assertThat(Exemptions.rest(Set.of(), "GET", path)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v2/models/m/infer", "/v2/models/m", "/v2", "/v2/models",
        "/v2/health/../models/m/infer", "/v2/health/live/x",
        "/v2/models//ready", "/v2/models/m/versions//ready", "/v2/repository/index",
        "/v2/models/m/stats", "//v2/health/live", "/v2/health/ready/../../models/m"})
    void everythingElseNeedsAKeyUnderTheDefault(String path) {
        assertThat(Exemptions.rest(HEALTH, "GET", path)).isFalse();
        assertThat(Exemptions.rest(HEALTH, "POST", path)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v2", "/v2/models/m", "/v2/models/m/versions/1", "/v1/models"})
    void metadataIsOpenOnlyWhenAsked(String path) {
        assertThat(Exemptions.rest(HEALTH, "GET", path)).isFalse();
        assertThat(Exemptions.rest(BOTH, "GET", path)).isTrue();
        assertThat(Exemptions.rest(Set.of(Exempt.METADATA), "GET", "/v2/health/live")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ServerLive", "ServerReady", "ModelReady"})
    void grpcHealthIsOpen(String method) {
        assertThat(Exemptions.grpc(HEALTH, "inference.GRPCInferenceService/" + method)).isTrue();
        assertThat(Exemptions.grpc(Set.of(), "inference.GRPCInferenceService/" + method)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ModelInfer", "ServerMetadata", "ModelMetadata", "RepositoryIndex",
        "RepositoryModelLoad", "ModelStatistics"})
    void otherRpcsNeedAKey(String method) {
        assertThat(Exemptions.grpc(HEALTH, "inference.GRPCInferenceService/" + method)).isFalse();
        assertThat(Exemptions.grpc(BOTH, "inference.GRPCInferenceService/" + method))
                .isEqualTo(method.endsWith("Metadata"));
    }
}

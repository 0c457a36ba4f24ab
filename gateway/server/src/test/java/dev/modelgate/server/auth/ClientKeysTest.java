package dev.modelgate.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.server.config.AuthConfig;
import dev.modelgate.server.config.AuthConfig.Client;
import dev.modelgate.server.config.AuthConfig.Exempt;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The key check as a pure function of the two headers, and the policy around it. */
class ClientKeysTest {
    private static final String KEY_A = "a-key-of-sixteen-or-more";
    private static final String KEY_B = "another-key-of-sixteen";
    private static final AuthConfig TWO = new AuthConfig(List.of(
            new Client("app-a", Secrets.sha256Hex(KEY_A)), new Client("app-b", Secrets.sha256Hex(KEY_B))),
            Set.of(Exempt.HEALTH));

    @Test
    void theHashIsSha256HexOfTheUtf8Token() {
        // echo -n test | sha256sum
        assertThat(Secrets.sha256Hex("test"))
                .isEqualTo("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
    }

    @Test
    void eitherHeaderFormNamesItsClient() {
        ClientKeys keys = ClientKeys.of(TWO);
        assertThat(keys.identify("Bearer " + KEY_A, null)).isEqualTo(Verdict.accepted("app-a"));
        assertThat(keys.identify("bearer  " + KEY_B + " ", null)).isEqualTo(Verdict.accepted("app-b"));
        assertThat(keys.identify(null, KEY_B)).isEqualTo(Verdict.accepted("app-b"));
        // another scheme in Authorization (a proxy's Basic) leaves x-api-key to decide
        assertThat(keys.identify("Basic dXNlcjpwYXNz", KEY_A)).isEqualTo(Verdict.accepted("app-a"));
    }

    @Test
    void aMissingOrWrongKeyIsRefusedWithoutEchoingIt() {
        ClientKeys keys = ClientKeys.of(TWO);
        assertThat(keys.identify(null, null).outcome()).isEqualTo(Verdict.Outcome.MISSING);
        assertThat(keys.identify("Bearer ", "  ").outcome()).isEqualTo(Verdict.Outcome.MISSING);
        assertThat(keys.identify("Basic abc", null).outcome()).isEqualTo(Verdict.Outcome.MISSING);
        Verdict wrong = keys.identify("Bearer " + KEY_A + "x", null);
        assertThat(wrong.outcome()).isEqualTo(Verdict.Outcome.WRONG);
        assertThat(wrong.refused()).isTrue();
        assertThat(wrong.message()).doesNotContain(KEY_A);
        // the Bearer header wins: a right x-api-key does not rescue a wrong bearer token
        assertThat(keys.identify("Bearer wrong-wrong-wrong-wrong", KEY_A).outcome())
                .isEqualTo(Verdict.Outcome.WRONG);
        // the hash itself is not a key
        assertThat(keys.identify(null, Secrets.sha256Hex(KEY_A)).outcome()).isEqualTo(Verdict.Outcome.WRONG);
    }

    @Test
    void withoutClientsEverythingIsOpenAndNothingCounted() {
        Authentication off = Authentication.off();
        assertThat(off.enabled()).isFalse();
        assertThat(off.checkRest("POST", "/v2/models/m/infer", null, null)).isEqualTo(Verdict.OPEN);
        assertThat(off.failures(dev.modelgate.server.service.RequestRecord.Protocol.REST,
                Verdict.Outcome.MISSING)).isZero();
    }

    @Test
    void refusalsAreCountedByProtocolAndReasonAndAnUpdateRotatesKeys() {
        Authentication auth = Authentication.of(TWO);
        assertThat(auth.checkRest("POST", "/v2/models/m/infer", null, null).refused()).isTrue();
        assertThat(auth.checkRest("POST", "/v1/models/m:predict", null, "nope-nope-nope-nope").refused())
                .isTrue();
        assertThat(auth.checkGrpc("inference.GRPCInferenceService/ModelInfer", null, null).refused())
                .isTrue();
        assertThat(auth.checkRest("GET", "/v2/health/ready", null, null)).isEqualTo(Verdict.OPEN);
        assertThat(auth.checkGrpc("inference.GRPCInferenceService/ServerLive", null, null))
                .isEqualTo(Verdict.OPEN);
        var rest = dev.modelgate.server.service.RequestRecord.Protocol.REST;
        var v1 = dev.modelgate.server.service.RequestRecord.Protocol.V1;
        var grpc = dev.modelgate.server.service.RequestRecord.Protocol.GRPC;
        assertThat(auth.failures(rest, Verdict.Outcome.MISSING)).isEqualTo(1);
        assertThat(auth.failures(v1, Verdict.Outcome.WRONG)).isEqualTo(1);
        assertThat(auth.failures(grpc, Verdict.Outcome.MISSING)).isEqualTo(1);
        assertThat(auth.failures(rest, Verdict.Outcome.WRONG)).isZero();

        auth.update(new AuthConfig(List.of(new Client("app-b", Secrets.sha256Hex(KEY_B))), Set.of()));
        assertThat(auth.checkRest("POST", "/v2/models/m/infer", "Bearer " + KEY_A, null).outcome())
                .isEqualTo(Verdict.Outcome.WRONG);
        assertThat(auth.checkRest("GET", "/v2/health/ready", null, null).refused()).isTrue();
        assertThat(auth.checkRest("POST", "/v2/models/m/infer", "Bearer " + KEY_B, null).client())
                .isEqualTo("app-b");
    }
}

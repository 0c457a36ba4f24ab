package dev.modelgate.loadtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.io.IOException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

/** How gRPC call endings map to the report's outcomes. */
class GrpcTransportTest {

    @Test
    void okIsASuccessCarryingTheSplitValue() {
        Outcome outcome = GrpcTransport.outcome(Status.OK, "canary", false);

        assertThat(outcome.success()).isTrue();
        assertThat(outcome.status()).isEqualTo(200);
        assertThat(outcome.splitValue()).isEqualTo("canary");
    }

    @Test
    void statusErrorsCountByCodeName() {
        assertThat(GrpcTransport.outcome(Status.UNAVAILABLE.withDescription("draining"), "stable", false))
                .satisfies(o -> assertThat(o.success()).isFalse())
                .satisfies(o -> assertThat(o.failure()).isNull())
                .satisfies(o -> assertThat(o.errorKey()).isEqualTo("UNAVAILABLE"))
                .satisfies(o -> assertThat(o.splitValue()).isEqualTo("stable"));
        assertThat(GrpcTransport.outcome(Status.RESOURCE_EXHAUSTED, null, false).errorKey())
                .isEqualTo("RESOURCE_EXHAUSTED");
    }

    @Test
    void theExchangesOwnDeadlineIsATimeoutAndTheServersIsAStatus() {
        assertThat(GrpcTransport.outcome(Status.DEADLINE_EXCEEDED, null, true).errorKey()).isEqualTo("timeout");
        assertThat(GrpcTransport.outcome(Status.DEADLINE_EXCEEDED, null, false).errorKey())
                .isEqualTo("DEADLINE_EXCEEDED");
    }

    @Test
    void transportFailuresAreConnectOrIo() {
        Exception refused = new IOException("wrapped", new ConnectException("Connection refused"));
        assertThat(GrpcTransport.outcome(Status.UNAVAILABLE.withCause(refused), null, false).errorKey())
                .isEqualTo("connect");
        assertThat(GrpcTransport.outcome(Status.UNAVAILABLE.withCause(new IOException("reset")), null, false)
                .errorKey()).isEqualTo("io");
    }
}

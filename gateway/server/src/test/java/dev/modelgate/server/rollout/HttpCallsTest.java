package dev.modelgate.server.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HttpCallsTest {
    @Test
    void readsTheFirstValueOfAPromQlAnswer() {
        assertThat(HttpCalls.firstValue("""
                {"status":"success","data":{"resultType":"vector","result":[
                 {"metric":{"pod":"iris-v2"},"value":[1700000000.1,"1234.5"]}]}}""")).isEqualTo(1234.5);
        assertThat(HttpCalls.firstValue("""
                {"status":"success","data":{"resultType":"scalar","result":[1700000000.1,"2"]}}"""))
                .isEqualTo(2.0);
        assertThat(HttpCalls.firstValue("""
                {"status":"success","data":{"resultType":"vector","result":[]}}""")).isNaN();
        assertThat(HttpCalls.firstValue("not json")).isNaN();
    }

    @Test
    void readsPrometheusInfinitiesAndNaN() {
        assertThat(HttpCalls.firstValue("""
                {"status":"success","data":{"resultType":"vector","result":[
                 {"metric":{},"value":[1700000000.1,"+Inf"]}]}}""")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(HttpCalls.firstValue("""
                {"status":"success","data":{"resultType":"scalar","result":[1700000000.1,"-Inf"]}}"""))
                .isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(HttpCalls.firstValue("""
                {"status":"success","data":{"resultType":"vector","result":[
                 {"metric":{},"value":[1700000000.1,"NaN"]}]}}""")).isNaN();
    }
}

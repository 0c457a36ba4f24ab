package dev.modelgate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TensorTest {
    @ParameterizedTest
    @EnumSource(DataType.class)
    void everyDatatypeHoldsItsOwnArrayType(DataType type) {
        Object data = java.lang.reflect.Array.newInstance(type.arrayType().getComponentType(), 6);
        Tensor tensor = Tensor.of("x", type, new long[] {2, 3}, data);
        assertThat(tensor.elementCount()).isEqualTo(6);
        assertThat(DataType.parse(type.name())).isSameAs(type);
    }

    @Test
    void elementCountMustEqualProductOfShape() {
        assertThatThrownBy(() -> Tensor.ofFloats("x", new long[] {2, 2}, 1f, 2f, 3f))
                .isInstanceOf(InferenceException.class)
                .hasMessage("tensor x data: 3 elements (expected: 4 for shape [2, 2])");
    }

    @Test
    void arrayTypeMustMatchDatatype() {
        assertThatThrownBy(() -> Tensor.of("x", DataType.FP64, new long[] {1}, new float[] {1f}))
                .hasMessageContaining("expected: double[] for FP64");
    }

    @Test
    void negativeAndOverflowingShapesAreRejected() {
        assertThatThrownBy(() -> Shapes.elementCount(new long[] {2, -1}))
                .hasMessageContaining("non-negative");
        assertThatThrownBy(() -> Shapes.elementCount(new long[] {1L << 20, 1L << 20}))
                .hasMessageContaining("at most");
        assertThatThrownBy(() -> Shapes.elementCount(new long[] {3, 1L << 62}))
                .hasMessageContaining("at most");
        assertThat(Shapes.elementCount(new long[] {0, 1L << 62})).isZero();
    }

    @Test
    void unknownDatatypeIsInvalidArgument() {
        assertThatThrownBy(() -> DataType.parse("fp32"))
                .isInstanceOfSatisfying(InferenceException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT))
                .hasMessageStartingWith("datatype: fp32");
    }

    @Test
    void equalityIsByContent() {
        assertThat(Tensor.ofFloats("x", new long[] {2}, 1f, 2f))
                .isEqualTo(Tensor.ofFloats("x", new long[] {2}, 1f, 2f))
                .isNotEqualTo(Tensor.ofFloats("x", new long[] {2}, 1f, 3f));
    }
}

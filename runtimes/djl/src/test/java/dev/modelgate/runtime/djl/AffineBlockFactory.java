package dev.modelgate.runtime.djl;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.BlockFactory;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.modelgate.runtime.testkit.AffineFixture;
import java.nio.file.Path;
import java.util.Map;

/** Builds the {@link AffineFixture} network: one linear layer, returning y and relu(y). */
public final class AffineBlockFactory implements BlockFactory {
    private static final long serialVersionUID = 1L;

    @Override
    public Block newBlock(Model model, Path modelPath, Map<String, ?> arguments) {
        return new AffineBlock();
    }

    /** The two-output block. */
    static final class AffineBlock extends AbstractBlock {
        private final Linear linear;

        AffineBlock() {
            linear = addChildBlock("linear", Linear.builder().setUnits(AffineFixture.UNITS).build());
        }

        Linear linear() {
            return linear;
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDList y = linear.forward(store, inputs, training);
            return new NDList(y.singletonOrThrow(), y.singletonOrThrow().maximum(0f));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            Shape out = linear.getOutputShapes(inputShapes)[0];
            return new Shape[] {out, out};
        }

        @Override
        protected void initializeChildBlocks(ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
            linear.initialize(manager, dataType, inputShapes);
        }
    }
}

package dev.modelgate.server;

import ai.djl.Model;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.BlockFactory;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import java.nio.file.Path;
import java.util.Map;

/** The network of BatchingIT's DJL model: 4 → 16 → 3 with a ReLU; DJL rebuilds it from this class. */
public final class DjlMlpFactory implements BlockFactory {
    private static final long serialVersionUID = 1L;

    @Override
    public Block newBlock(Model model, Path modelPath, Map<String, ?> arguments) {
        return mlp();
    }

    static SequentialBlock mlp() {
        return new SequentialBlock().add(Linear.builder().setUnits(16).build()).add(Activation.reluBlock())
                .add(Linear.builder().setUnits(3).build());
    }
}

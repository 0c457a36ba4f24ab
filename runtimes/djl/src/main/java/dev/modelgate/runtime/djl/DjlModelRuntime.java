package dev.modelgate.runtime.djl;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.EngineException;
import ai.djl.nn.Block;
import ai.djl.nn.BlockFactory;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.PairList;
import dev.modelgate.api.DataType;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.api.TensorMetadata;
import dev.modelgate.api.spi.Device;
import dev.modelgate.api.spi.LoadedModel;
import dev.modelgate.api.spi.ModelLoadRequest;
import dev.modelgate.api.spi.ModelRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Loads models with DJL. The engine follows the file: {@code *.onnx} runs on OnnxRuntime,
 * {@code *.pt} (TorchScript) and {@code *.params} (saved by DJL, built by a {@code block-factory})
 * on PyTorch. Only the CPU native library ships, so a GPU load fails with UNAVAILABLE unless it
 * may fall back to CPU.
 */
final class DjlModelRuntime implements ModelRuntime {
    private volatile boolean closed;

    @Override
    public LoadedModel load(ModelLoadRequest request) {
        if (closed) {
            throw InferenceException.unavailable("runtime djl: closed (expected: an open runtime)");
        }
        if (request.device() == Device.GPU && !request.fallbackToCpu()) {
            throw InferenceException.unavailable("device: gpu (the djl runtime ships the CPU PyTorch build only;"
                    + " set fallback-to-cpu: true)");
        }
        Path file = modelFile(request.path());
        Path dir = file.getParent();
        DjlSettings settings = DjlSettings.read(dir, request.options());
        String fileName = file.getFileName().toString();
        String extension = fileName.substring(fileName.lastIndexOf('.') + 1);
        String prefix = fileName.substring(0, fileName.lastIndexOf('.'));
        String engine = settings.engine() != null ? settings.engine()
                : extension.equals("onnx") ? DjlSettings.ONNXRUNTIME : DjlSettings.PYTORCH;
        Model model;
        try {
            model = Model.newInstance(request.name(), ai.djl.Device.cpu(), engine);
        } catch (RuntimeException e) {
            throw InferenceException.unavailable("engine " + engine + ": not available (" + e.getMessage() + ")");
        }
        try {
            if (extension.equals("params")) {
                if (settings.blockFactory() == null) {
                    throw InferenceException.invalid("block-factory: missing for " + file
                            + " (expected: the BlockFactory class that builds this DJL model's network)");
                }
                model.setBlock(newBlock(settings.blockFactory(), model, dir));
                prefix = prefix.replaceFirst("-\\d{4}$", "");
            }
            model.load(dir, prefix);
            if (!model.getBlock().isInitialized()) {
                // DJL skips a parameter file without its DJL@ magic instead of failing.
                throw InferenceException.invalid("model file: " + file
                        + " (expected: DJL parameters starting with DJL@; none were loaded)");
            }
            ModelMetadata metadata = new ModelMetadata(request.name(), List.of(request.version()),
                    platform(engine, extension), inputs(settings, model, file), outputs(settings, model, file));
            return new DjlModel(model, request, metadata);
        } catch (IOException | MalformedModelException | EngineException | IllegalArgumentException
                | IllegalStateException e) {
            model.close();
            throw InferenceException.invalid("model file: " + file + " (expected: a valid " + engine
                    + " model: " + e.getMessage() + ")");
        } catch (RuntimeException e) {
            model.close();
            if (e instanceof InferenceException ie) {
                throw ie;
            }
            throw InferenceException.invalid("model file: " + file + " (expected: a valid " + engine
                    + " model: " + e + ")");
        }
    }

    private static Block newBlock(String className, Model model, Path dir) throws IOException {
        try {
            Class<?> type = Class.forName(className, true, Thread.currentThread().getContextClassLoader());
            BlockFactory factory = type.asSubclass(BlockFactory.class).getDeclaredConstructor().newInstance();
            return factory.newBlock(model, dir, java.util.Map.of());
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw InferenceException.invalid("block-factory: " + className
                    + " (expected: a public ai.djl.nn.BlockFactory with a no-argument constructor: " + e + ")");
        }
    }

    private static List<TensorMetadata> inputs(DjlSettings settings, Model model, Path file) {
        return settings.declared() ? settings.inputs() : fromEngine("inputs", model.describeInput(), file);
    }

    private static List<TensorMetadata> outputs(DjlSettings settings, Model model, Path file) {
        return settings.declared() ? settings.outputs() : fromEngine("outputs", model.describeOutput(), file);
    }

    /**
     * Names and shapes where the engine knows them (ONNX does). DJL does not report element types,
     * so they are taken as FP32 and a model with other types must declare its signature.
     */
    private static List<TensorMetadata> fromEngine(String what, PairList<String, Shape> described, Path file) {
        if (described == null || described.isEmpty()) {
            throw InferenceException.invalid(what + ": unknown for " + file + " (expected: declared in the load"
                    + " options or " + DjlSettings.SIDECAR + ", for example x:FP32[-1,3]; TorchScript does not"
                    + " expose its signature)");
        }
        List<TensorMetadata> tensors = new ArrayList<>();
        for (int i = 0; i < described.size(); i++) {
            long[] dims = described.get(i).getValue().getShape();
            tensors.add(new TensorMetadata(described.get(i).getKey(), DataType.FP32, dims));
        }
        return tensors;
    }

    private static String platform(String engine, String extension) {
        return switch (extension) {
            case "onnx" -> "onnx_onnxv1";
            case "params" -> "djl_" + engine.toLowerCase(java.util.Locale.ROOT);
            default -> "pytorch_torchscript";
        };
    }

    /** The model file: the path itself, or the one model file in a version directory. */
    private static Path modelFile(Path path) {
        if (Files.isRegularFile(path)) {
            return path;
        }
        if (Files.isDirectory(path)) {
            try (Stream<Path> files = Files.list(path)) {
                List<Path> models = files.filter(Files::isRegularFile).filter(p -> {
                    String n = p.getFileName().toString();
                    return n.endsWith(".pt") || n.endsWith(".onnx") || n.endsWith(".params");
                }).sorted().toList();
                if (models.size() == 1) {
                    return models.get(0);
                }
                if (models.size() > 1) {
                    throw InferenceException.invalid("model path: " + path + " holds " + models.size()
                            + " model files (expected: one .pt, .onnx or .params file)");
                }
            } catch (IOException e) {
                throw InferenceException.invalid("model path: " + path + " (unreadable: " + e.getMessage() + ")");
            }
        }
        throw InferenceException.invalid("model path: " + path
                + " (expected: a .pt, .onnx or .params file or a version directory holding one)");
    }

    @Override
    public void close() {
        closed = true;
    }
}

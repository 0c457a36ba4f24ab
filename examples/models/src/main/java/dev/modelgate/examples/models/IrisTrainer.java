package dev.modelgate.examples.models;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.ONNXExportable;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.liblinear.LibLinearClassificationTrainer;
import org.tribuo.classification.liblinear.LinearClassificationType;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.data.csv.CSVLoader;

/**
 * Trains the two versions of the example {@code iris} model and exports them as ONNX, so the
 * gateway has a real model repository to serve and a canary to split traffic to.
 *
 * <ul>
 *   <li>version 1: multinomial logistic regression trained by SGD (Tribuo's
 *       {@link LogisticRegressionTrainer}, AdaGrad, seed 12345); outputs class probabilities</li>
 *   <li>version 2: a linear SVM from LIBLINEAR (L2-regularised, L2 loss, C = 1); outputs
 *       one-vs-rest decision scores, not probabilities</li>
 * </ul>
 *
 * <p>Both take FP32 {@code input [-1, 4]} and give FP32 {@code output [-1, 3]}. Tribuo orders
 * feature columns by name and label indices by its label domain; {@link #featureOrder} and
 * {@link #labelOrder} report both, and {@code examples/README.md} records them.
 *
 * <p>Usage: {@code IrisTrainer [iris.csv [out-dir]]}, defaults {@code examples/data/iris.csv} and
 * {@code examples/model-repository}; writes {@code <out>/iris/1/model.onnx},
 * {@code <out>/iris/2/model.onnx} and {@code <out>/iris/labels.txt} (the species of each output
 * index, one a line, for the classification extension) and nothing else (the hand-written
 * {@code model.yaml} stays).
 */
public final class IrisTrainer {
    /** The ONNX model domain of both exported versions. */
    public static final String DOMAIN = "dev.modelgate.examples.iris";
    /** The labels file beside the versions, one species a line in output index order. */
    public static final String LABELS_FILE = "labels.txt";
    /** The CSV column that holds the species. */
    public static final String RESPONSE = "species";

    private IrisTrainer() {
    }

    public static void main(String[] args) throws IOException {
        Path csv = Path.of(args.length > 0 ? args[0] : "examples/data/iris.csv");
        Path out = Path.of(args.length > 1 ? args[1] : "examples/model-repository");
        Result result = train(csv, out);
        System.out.println("features (input columns): " + result.features());
        System.out.println("labels (output indices):  " + result.labels());
        result.accuracy().forEach((version, accuracy) ->
                System.out.printf("iris/%d/model.onnx  training accuracy %.3f%n", version, accuracy));
    }

    /** What one training run wrote and learned. */
    public record Result(List<Path> models, Path labelsFile, List<String> features,
            List<String> labels, Map<Integer, Double> accuracy) {
    }

    /**
     * Trains both versions on the CSV and writes {@code <out>/iris/<version>/model.onnx} and
     * {@code <out>/iris/labels.txt}.
     *
     * @return the model files and the labels file written, the feature and label orders of the
     *     exported models, and each version's accuracy on the training data
     */
    public static Result train(Path csv, Path out) throws IOException {
        Dataset<Label> data = load(csv);
        List<Path> written = new ArrayList<>();
        Map<Integer, Double> accuracy = new TreeMap<>();
        List<String> features = List.of();
        List<String> labels = List.of();
        Map<Integer, Trainer<Label>> trainers = Map.of(1, new LogisticRegressionTrainer(),
                2, new LibLinearClassificationTrainer(
                        new LinearClassificationType(LinearClassificationType.LinearType.L2R_L2LOSS_SVC), 1.0, 1000, 0.01));
        for (int version = 1; version <= 2; version++) {
            Model<Label> model = trainers.get(version).train(data);
            Path file = out.resolve("iris").resolve(Integer.toString(version)).resolve("model.onnx");
            Files.createDirectories(file.getParent());
            ((ONNXExportable) model).saveONNXModel(DOMAIN, version, file);
            written.add(file);
            accuracy.put(version, new LabelEvaluator().evaluate(model, data).accuracy());
            features = featureOrder(model);
            labels = labelOrder(model);
        }
        Path labelsFile = out.resolve("iris").resolve(LABELS_FILE);
        Files.write(labelsFile, labels.stream().map(IrisTrainer::species).toList());
        return new Result(written, labelsFile, features, labels, accuracy);
    }

    /** The species without the CSV's {@code Iris-} prefix: {@code Iris-setosa} is {@code setosa}. */
    static String species(String label) {
        return label.startsWith("Iris-") ? label.substring("Iris-".length()) : label;
    }

    /** The iris CSV as a Tribuo dataset: four numeric features, the species as label. */
    public static Dataset<Label> load(Path csv) {
        try {
            return new CSVLoader<>(new LabelFactory()).load(csv, RESPONSE);
        } catch (IOException e) {
            throw new UncheckedIOException("iris data: " + csv, e);
        }
    }

    /** Feature names in the order of the exported model's input columns. */
    public static List<String> featureOrder(Model<Label> model) {
        List<String> names = new ArrayList<>();
        for (int id = 0; id < model.getFeatureIDMap().size(); id++) {
            names.add(model.getFeatureIDMap().get(id).getName());
        }
        return names;
    }

    /** Label names in the order of the exported model's output indices. */
    public static List<String> labelOrder(Model<Label> model) {
        List<String> names = new ArrayList<>();
        for (int id = 0; id < model.getOutputIDInfo().size(); id++) {
            names.add(model.getOutputIDInfo().getOutput(id).getLabel());
        }
        return names;
    }
}

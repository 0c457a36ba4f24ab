package dev.modelgate.examples.models;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.MutableDataset;
import org.tribuo.Model;
import org.tribuo.ONNXExportable;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.liblinear.LibLinearClassificationTrainer;
import org.tribuo.classification.liblinear.LinearClassificationType;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.data.csv.CSVLoader;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;

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
 *
 * <p>Retraining, as a training job would: {@code IrisTrainer --version N [--shuffle-labels]
 * [iris.csv [out-dir]]} trains one more logistic regression (10 epochs, seed 12345 + N) and
 * writes {@code <out>/iris/N/model.onnx} <em>atomically</em>: into a hidden temporary directory
 * beside it, then one rename, so a gateway that follows the repository never sees a half-written
 * version. {@code --shuffle-labels} trains on the CSV with its labels shuffled (seeded): a model
 * with the right signature that answers nonsense, for showing a rollback.
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
        List<String> positional = new ArrayList<>();
        Integer version = null;
        boolean shuffle = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--version" -> version = i + 1 < args.length ? parseVersion(args[++i]) : null;
                case "--shuffle-labels" -> shuffle = true;
                default -> positional.add(args[i]);
            }
        }
        if (shuffle && version == null || positional.size() > 2) {
            throw new IllegalArgumentException("usage: IrisTrainer [--version N [--shuffle-labels]]"
                    + " [iris.csv [out-dir]]");
        }
        Path csv = Path.of(positional.size() > 0 ? positional.get(0) : "examples/data/iris.csv");
        Path out = Path.of(positional.size() > 1 ? positional.get(1) : "examples/model-repository");
        if (version != null) {
            Retrained retrained = retrain(csv, out, version, shuffle);
            System.out.printf("%s  training accuracy %.3f%s%n", retrained.file(), retrained.accuracy(),
                    shuffle ? " (labels shuffled)" : "");
            return;
        }
        Result result = train(csv, out);
        System.out.println("features (input columns): " + result.features());
        System.out.println("labels (output indices):  " + result.labels());
        result.accuracy().forEach((trained, accuracy) ->
                System.out.printf("iris/%d/model.onnx  training accuracy %.3f%n", trained, accuracy));
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

    /** What a retraining wrote: {@code <out>/iris/<version>/model.onnx} and its training accuracy. */
    public record Retrained(Path file, double accuracy) {
    }

    /**
     * Trains one more version and moves it into place with one rename.
     *
     * @param shuffleLabels train on labels shuffled across rows (a deliberately bad model)
     * @throws java.nio.file.FileAlreadyExistsException when {@code <out>/iris/<version>} exists
     */
    public static Retrained retrain(Path csv, Path out, int version, boolean shuffleLabels)
            throws IOException {
        if (version < 1) {
            throw new IllegalArgumentException("version: " + version + " (expected: a positive integer)");
        }
        Path target = out.resolve("iris").resolve(Integer.toString(version));
        if (Files.exists(target)) {
            throw new java.nio.file.FileAlreadyExistsException(target.toString(), null,
                    "version " + version + " exists (expected: a new version)");
        }
        Dataset<Label> data = load(csv);
        Dataset<Label> training = shuffleLabels ? shuffled(data, 7L * version) : data;
        Model<Label> model = new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(1.0, 0.1), 10, 1000,
                1, 12345L + version).train(training);
        Files.createDirectories(target.getParent());
        Path temporary = Files.createTempDirectory(target.getParent(), "." + version + ".tmp-");
        try {
            ((ONNXExportable) model).saveONNXModel(DOMAIN, version, temporary.resolve("model.onnx"));
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            if (Files.exists(temporary)) {
                try (var files = Files.walk(temporary)) {
                    for (Path file : files.sorted(Collections.reverseOrder()).toList()) {
                        Files.deleteIfExists(file);
                    }
                }
            }
        }
        return new Retrained(target.resolve("model.onnx"),
                new LabelEvaluator().evaluate(model, data).accuracy());
    }

    /** The same rows with their labels permuted across rows (seeded). */
    static Dataset<Label> shuffled(Dataset<Label> data, long seed) {
        List<Label> labels = new ArrayList<>();
        data.forEach(example -> labels.add(example.getOutput()));
        Collections.shuffle(labels, new Random(seed));
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> shuffled = new MutableDataset<>(
                new SimpleDataSourceProvenance("iris with shuffled labels", factory), factory);
        int row = 0;
        for (Example<Label> example : data) {
            List<Feature> features = new ArrayList<>();
            example.forEach(features::add);
            shuffled.add(new ArrayExample<>(labels.get(row++), features));
        }
        return shuffled;
    }

    private static int parseVersion(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--version: " + text + " (expected: a positive integer)");
        }
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

package dev.modelgate.rollout.calibration;

import dev.modelgate.rollout.config.RolloutConfig;
import java.util.List;

/**
 * Prints the calibration table: {@code java -cp controller/rollout/target/classes
 * dev.modelgate.rollout.calibration.CalibrationMain [rollouts] [seed]}.
 */
public final class CalibrationMain {
    private CalibrationMain() {
    }

    public static void main(String[] args) {
        int rollouts = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
        RolloutConfig config = Calibration.referenceConfig();
        List<Calibration.Row> rows = Calibration.run(config, Calibration.referenceWorkloads(), rollouts, seed);
        System.out.print(Calibration.markdown(config, rows));
    }
}

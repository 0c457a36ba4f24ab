package dev.modelgate.rollout.calibration;

import dev.modelgate.rollout.config.RolloutConfig;
import java.util.List;

/**
 * Prints the calibration table: {@code java -cp controller/rollout/target/classes
 * dev.modelgate.rollout.calibration.CalibrationMain [rollouts] [seed] [requests-per-second]}.
 */
public final class CalibrationMain {
    private CalibrationMain() {
    }

    public static void main(String[] args) {
        int rollouts = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
        RolloutConfig config = Calibration.referenceConfig();
        double rate = args.length > 2 ? Double.parseDouble(args[2]) : 50;
        List<Calibration.Row> rows = Calibration.run(config, Calibration.workloads(rate), rollouts, seed);
        System.out.print(Calibration.markdown(config, rows));
    }
}

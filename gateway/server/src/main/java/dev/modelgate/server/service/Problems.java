package dev.modelgate.server.service;

import java.util.List;

/**
 * Validation problems as one client message of bounded size. Every problem is still found (config
 * and admin validation report all of them at once), but a spec with 10,000 bad revisions must not
 * become a 659 KB answer: clients get the first {@value #LISTED}, each cut at
 * {@value #MAX_PROBLEM} characters, and a count of the rest.
 */
public final class Problems {
    /** Problems listed in full; the rest are counted. */
    public static final int LISTED = 5;
    /** Characters of one listed problem (a problem may quote a long value). */
    public static final int MAX_PROBLEM = 300;

    private Problems() {
    }

    /** {@code first; second; ... (and N more problems)}. */
    public static String join(List<String> problems) {
        StringBuilder message = new StringBuilder();
        for (int i = 0; i < Math.min(LISTED, problems.size()); i++) {
            if (i > 0) {
                message.append("; ");
            }
            String problem = problems.get(i);
            message.append(problem.length() <= MAX_PROBLEM ? problem
                    : problem.substring(0, MAX_PROBLEM) + "...");
        }
        int more = problems.size() - LISTED;
        if (more > 0) {
            message.append(" (and ").append(more).append(more == 1 ? " more problem)" : " more problems)");
        }
        return message.toString();
    }
}

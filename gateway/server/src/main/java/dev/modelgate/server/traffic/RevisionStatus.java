package dev.modelgate.server.traffic;

/**
 * A revision as the admin API shows it.
 *
 * @param weight the configured weight in percent
 * @param effectiveWeight the share it gets now, after renormalising over ready revisions
 */
public record RevisionStatus(RevisionSpec spec, boolean ready, int weight, double effectiveWeight) {
}

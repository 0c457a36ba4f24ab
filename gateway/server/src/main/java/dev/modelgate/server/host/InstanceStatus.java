package dev.modelgate.server.host;

/**
 * One model version's instance group as the admin API shows it.
 *
 * @param model the model name
 * @param version the version label
 * @param instances the instance count asked for (surplus instances may still finish their work)
 * @param batching whether requests go through the dynamic batcher
 * @param requests requests answered since load
 * @param engineCalls engine calls made since load (with batching, fewer than requests when batches
 *     form; counts retries of split batches)
 * @param queued requests waiting now
 */
public record InstanceStatus(String model, String version, int instances, boolean batching,
        long requests, long engineCalls, int queued) {
}

package dev.modelgate.e2e;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands in for the Deployment controller and the kubelet, which fabric8's mock API server does not have: every
 * replica of a Deployment in one namespace becomes a real process (the image's {@code modelgate} command run from
 * this JVM's class path) on loopback ports, its init containers run first, and its readiness probe is polled. Ready
 * pods are published the way the EndpointSlice controller would (one slice per pod, because every pod here has its
 * own ports), and the Deployment's status counts them.
 *
 * <p>Pod file systems are directories under {@code root}: an emptyDir volume is a directory, a ConfigMap volume
 * its keys written as files, a PVC a directory the test names; container arguments naming a mount path are
 * rewritten to the directory behind it, and the {@code --http-port}/{@code --grpc-port} values to free ports.
 * A changed pod template replaces the pods once the new ones are ready (a rolling update with surge). Polling the
 * API server every 200 ms keeps this stand-in simple; the controller and the gateway under test use watches.
 */
final class FakeKubelet implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FakeKubelet.class);
    private static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private final KubernetesClient client;
    private final String namespace;
    private final Path root;
    private final Map<String, Path> claims;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fake-kubelet");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    private final Map<String, List<Pod>> pods = new ConcurrentHashMap<>();
    private final AtomicInteger started = new AtomicInteger();

    FakeKubelet(KubernetesClient client, String namespace, Path root, Map<String, Path> claims) {
        this.client = client;
        this.namespace = namespace;
        this.root = root;
        this.claims = Map.copyOf(claims);
    }

    FakeKubelet start() {
        ticker.scheduleWithFixedDelay(() -> {
            try {
                sync();
            } catch (RuntimeException e) {
                LOG.warn("fake kubelet: sync failed: {}", e.toString());
            }
        }, 0, 200, TimeUnit.MILLISECONDS);
        return this;
    }

    /** Processes started so far, over all Deployments (a scale-up test counts these). */
    int podsStarted() {
        return started.get();
    }

    /** The running pods of a Deployment (ready or not). */
    int running(String deployment) {
        return pods.getOrDefault(deployment, List.of()).size();
    }

    private void sync() {
        Map<String, Deployment> deployments = new HashMap<>();
        for (Deployment d : client.apps().deployments().inNamespace(namespace).list().getItems()) {
            deployments.put(d.getMetadata().getName(), d);
        }
        for (String gone : new ArrayList<>(pods.keySet())) {
            if (!deployments.containsKey(gone)) {
                pods.remove(gone).forEach(Pod::stop);
            }
        }
        List<Service> services = client.services().inNamespace(namespace).list().getItems();
        Map<String, EndpointSlice> slices = new HashMap<>();
        for (EndpointSlice s : client.discovery().v1().endpointSlices().inNamespace(namespace).list().getItems()) {
            slices.put(s.getMetadata().getName(), s);
        }
        Map<String, EndpointSlice> wanted = new LinkedHashMap<>();
        for (Deployment d : deployments.values()) {
            List<Pod> current = reconcilePods(d);
            for (Service service : services) {
                if (selects(service, d.getSpec().getTemplate())) {
                    for (Pod pod : current) {
                        if (pod.ready) {
                            EndpointSlice slice = slice(service, pod);
                            wanted.put(slice.getMetadata().getName(), slice);
                        }
                    }
                }
            }
            writeStatus(d, current);
        }
        for (EndpointSlice slice : wanted.values()) {
            EndpointSlice existing = slices.get(slice.getMetadata().getName());
            if (existing == null) {
                client.resource(slice).create();
            }
        }
        for (EndpointSlice existing : slices.values()) {
            boolean ours = existing.getMetadata().getName().contains("-pod-");
            if (ours && !wanted.containsKey(existing.getMetadata().getName())) {
                client.resource(existing).delete();
            }
        }
    }

    /** Starts, probes and stops this Deployment's pods; returns the pods now running. */
    private List<Pod> reconcilePods(Deployment d) {
        String name = d.getMetadata().getName();
        int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        String template = Integer.toHexString(Objects.hashCode(client.getKubernetesSerialization()
                .asJson(d.getSpec().getTemplate())));
        List<Pod> list = pods.computeIfAbsent(name, k -> new ArrayList<>());
        list.removeIf(pod -> {
            if (!pod.process.isAlive()) {
                LOG.info("fake kubelet: pod {} exited with {}", pod.name, pod.process.exitValue());
                return true;
            }
            return false;
        });
        for (Pod pod : list) {
            if (!pod.ready) {
                pod.ready = probe(pod);
            }
        }
        List<Pod> fresh = list.stream().filter(p -> p.template.equals(template)).toList();
        long freshReady = fresh.stream().filter(p -> p.ready).count();
        if (freshReady >= desired) {
            // The new template is fully ready: the old pods go, as a rolling update's last step.
            for (Pod old : list.stream().filter(p -> !p.template.equals(template)).toList()) {
                old.stop();
                list.remove(old);
            }
        }
        fresh = list.stream().filter(p -> p.template.equals(template)).toList();
        for (int i = fresh.size(); i < desired; i++) {
            list.add(startPod(d, template));
        }
        fresh = list.stream().filter(p -> p.template.equals(template)).toList();
        if (fresh.size() > desired) {
            List<Pod> extra = fresh.stream().sorted(Comparator.comparing((Pod p) -> p.ready)
                    .thenComparing(p -> -p.serial)).limit(fresh.size() - desired).toList();
            for (Pod pod : extra) {
                pod.stop();
                list.remove(pod);
            }
        }
        return List.copyOf(list);
    }

    private Pod startPod(Deployment d, String template) {
        int serial = started.incrementAndGet();
        String podName = d.getMetadata().getName() + "-pod-" + serial;
        Path dir = root.resolve(podName);
        PodTemplateSpec spec = d.getSpec().getTemplate();
        try {
            Files.createDirectories(dir);
            Map<String, Path> volumes = volumes(spec, dir);
            Ports ports = new Ports(freePort(), freePort());
            for (Container init : spec.getSpec().getInitContainers()) {
                Map<String, Path> mounts = mounts(init, spec, volumes);
                Process p = launch(podName + "-" + init.getName(), init, mounts, ports, dir, false);
                if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IllegalStateException("init container " + init.getName() + " of " + podName
                            + " failed; see " + dir);
                }
            }
            Container main = spec.getSpec().getContainers().get(0);
            Process process = launch(podName, main, mounts(main, spec, volumes), ports, dir, true);
            LOG.info("fake kubelet: started {} on http {} grpc {}", podName, ports.http, ports.grpc);
            return new Pod(podName, serial, template, process, ports, readinessPath(main));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The host directory behind each volume of the pod. */
    private Map<String, Path> volumes(PodTemplateSpec spec, Path podDir) throws IOException {
        Map<String, Path> volumes = new HashMap<>();
        for (Volume v : spec.getSpec().getVolumes()) {
            Path dir = podDir.resolve("volumes").resolve(v.getName());
            if (v.getPersistentVolumeClaim() != null) {
                dir = Objects.requireNonNull(claims.get(v.getPersistentVolumeClaim().getClaimName()),
                        "no directory for claim " + v.getPersistentVolumeClaim().getClaimName());
            } else {
                Files.createDirectories(dir);
                if (v.getConfigMap() != null) {
                    ConfigMap map = client.configMaps().inNamespace(namespace)
                            .withName(v.getConfigMap().getName()).get();
                    Objects.requireNonNull(map, "ConfigMap " + v.getConfigMap().getName() + " is missing");
                    for (Map.Entry<String, String> e : map.getData().entrySet()) {
                        Files.writeString(dir.resolve(e.getKey()), e.getValue());
                    }
                }
            }
            volumes.put(v.getName(), dir);
        }
        return volumes;
    }

    /**
     * Mount path to host path for one container, longest first. A subPath mount of a single file (a ConfigMap key)
     * is copied to where the enclosing mount puts it, since two directories cannot overlap here as they do in a pod.
     */
    private Map<String, Path> mounts(Container container, PodTemplateSpec spec, Map<String, Path> volumes)
            throws IOException {
        List<VolumeMount> list = new ArrayList<>(container.getVolumeMounts());
        list.sort(Comparator.comparing((VolumeMount m) -> m.getMountPath().length()));
        Map<String, Path> mounts = new LinkedHashMap<>();
        for (VolumeMount m : list) {
            Path source = volumes.get(m.getName());
            if (m.getSubPath() != null && !m.getSubPath().isEmpty()) {
                source = source.resolve(m.getSubPath());
            }
            Path enclosing = rewrite(m.getMountPath(), mounts);
            if (Files.isRegularFile(source) && !enclosing.toString().equals(m.getMountPath())) {
                Files.createDirectories(enclosing.getParent());
                Files.copy(source, enclosing, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                source = enclosing;
            }
            mounts.put(m.getMountPath(), source);
        }
        Map<String, Path> longestFirst = new LinkedHashMap<>();
        mounts.entrySet().stream().sorted(Comparator.comparing((Map.Entry<String, Path> e) -> -e.getKey().length()))
                .forEach(e -> longestFirst.put(e.getKey(), e.getValue()));
        return longestFirst;
    }

    private static Path rewrite(String path, Map<String, Path> mounts) {
        String best = null;
        for (String mount : mounts.keySet()) {
            if ((path.equals(mount) || path.startsWith(mount + "/")) && (best == null || mount.length() > best.length())) {
                best = mount;
            }
        }
        return best == null ? Path.of(path) : mounts.get(best).resolve(path.substring(best.length()).replaceFirst("^/", ""));
    }

    private Process launch(String name, Container container, Map<String, Path> mounts, Ports ports, Path dir,
            boolean serving) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), "dev.modelgate.server.cli.Main"));
        List<String> args = container.getArgs();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String previous = i == 0 ? "" : args.get(i - 1);
            if (previous.equals("--http-port")) {
                command.add(String.valueOf(ports.http));
            } else if (previous.equals("--grpc-port")) {
                command.add(String.valueOf(ports.grpc));
            } else if (arg.startsWith("/")) {
                command.add(rewrite(arg, mounts).toString());
            } else {
                command.add(arg);
            }
        }
        if (serving && "runtime".equals(args.get(0))) {
            command.add("--parent-pid");
            command.add(String.valueOf(ProcessHandle.current().pid()));
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
        for (EnvVar env : container.getEnv()) {
            if (env.getValue() != null) {
                builder.environment().put(env.getName(), env.getValue());
            }
        }
        return builder.start();
    }

    private static String readinessPath(Container container) {
        if (container.getReadinessProbe() != null && container.getReadinessProbe().getHttpGet() != null) {
            return container.getReadinessProbe().getHttpGet().getPath();
        }
        return "/v2/health/ready";
    }

    private boolean probe(Pod pod) {
        try {
            HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + pod.ports.http + pod.readinessPath))
                    .timeout(Duration.ofMillis(500)).build(), HttpResponse.BodyHandlers.discarding());
            return answer.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean selects(Service service, PodTemplateSpec template) {
        Map<String, String> selector = service.getSpec().getSelector();
        Map<String, String> labels = template.getMetadata().getLabels();
        return selector != null && !selector.isEmpty() && labels != null
                && labels.entrySet().containsAll(selector.entrySet());
    }

    private EndpointSlice slice(Service service, Pod pod) {
        EndpointSliceBuilder builder = new EndpointSliceBuilder()
                .withNewMetadata().withNamespace(namespace)
                .withName(service.getMetadata().getName() + "-" + pod.name.substring(pod.name.indexOf("-pod-") + 1))
                .addToLabels(SERVICE_NAME_LABEL, service.getMetadata().getName())
                .addToLabels("endpointslice.kubernetes.io/managed-by", "fake-kubelet.modelgate.dev")
                .endMetadata()
                .withAddressType("IPv4")
                .addNewEndpoint().withAddresses("127.0.0.1").withNewConditions().withReady(true).withServing(true)
                .withTerminating(false).endConditions().withNewTargetRef().withKind("Pod").withName(pod.name)
                .withNamespace(namespace).endTargetRef().endEndpoint();
        service.getSpec().getPorts().forEach(port -> builder.addNewPort().withName(port.getName())
                .withProtocol("TCP").withPort("grpc".equals(port.getName()) ? pod.ports.grpc : pod.ports.http)
                .endPort());
        return builder.build();
    }

    private void writeStatus(Deployment d, List<Pod> current) {
        int ready = (int) current.stream().filter(p -> p.ready).count();
        DeploymentStatus status = new DeploymentStatusBuilder().withReplicas(current.size())
                .withReadyReplicas(ready).withAvailableReplicas(ready).withUpdatedReplicas(current.size())
                .withObservedGeneration(d.getMetadata().getGeneration()).build();
        DeploymentStatus before = d.getStatus();
        if (before != null && Objects.equals(before.getReplicas(), status.getReplicas())
                && Objects.equals(before.getReadyReplicas(), status.getReadyReplicas())) {
            return;
        }
        client.apps().deployments().inNamespace(namespace).withName(d.getMetadata().getName())
                .editStatus(x -> {
                    x.setStatus(status);
                    return x;
                });
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        try {
            ticker.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pods.values().forEach(list -> list.forEach(Pod::stop));
        pods.clear();
    }

    private record Ports(int http, int grpc) {
    }

    private static final class Pod {
        final String name;
        final int serial;
        final String template;
        final Process process;
        final Ports ports;
        final String readinessPath;
        volatile boolean ready;

        Pod(String name, int serial, String template, Process process, Ports ports, String readinessPath) {
            this.name = name;
            this.serial = serial;
            this.template = template;
            this.process = process;
            this.ports = ports;
            this.readinessPath = readinessPath;
        }

        void stop() {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}

package dev.modelgate.controller.reconcile;

/**
 * The parts of a model URI the controller needs: only {@code pvc://<claim>/<path>} changes the pod (a volume instead
 * of a download); every other scheme is the fetcher's business.
 *
 * @param scheme the URI scheme
 * @param claim the PersistentVolumeClaim, for {@code pvc://}
 * @param path the path inside the claim, for {@code pvc://} (may be empty)
 */
record StorageUri(String scheme, String claim, String path) {

    static StorageUri parse(String uri) {
        int colon = uri.indexOf("://");
        String scheme = colon < 0 ? "" : uri.substring(0, colon);
        if (!scheme.equals("pvc")) {
            return new StorageUri(scheme, null, null);
        }
        String rest = uri.substring(colon + 3);
        int slash = rest.indexOf('/');
        String claim = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash + 1).replaceAll("/+$", "");
        return new StorageUri(scheme, claim, path);
    }

    boolean pvc() {
        return scheme.equals("pvc");
    }
}

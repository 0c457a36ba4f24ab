package dev.modelgate.loadtests;

/** Counts requests in flight and lets a driver wait, bounded, until they have all ended. */
final class Outstanding {
    private int count;

    synchronized int count() {
        return count;
    }

    /** Takes a slot unless {@code cap} are taken already. */
    synchronized boolean tryAcquire(int cap) {
        if (count >= cap) {
            return false;
        }
        count++;
        return true;
    }

    synchronized void release() {
        count--;
        if (count == 0) {
            notifyAll();
        }
    }

    /** Waits up to {@code timeoutMillis} of real time for no request to be in flight. */
    synchronized boolean awaitZero(long timeoutMillis) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (count > 0) {
            long left = end - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }
}

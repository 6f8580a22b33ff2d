package dev.painterly.weights.download;

/** Told how a download advances, to show it. */
public interface DownloadProgress {

    /** {@code received} bytes so far of {@code total} (-1 when the server did not say). */
    void update(long received, long total);

    /** The last byte has arrived. */
    void finished(long received);

    /** Shows nothing. */
    DownloadProgress NONE = new DownloadProgress() {
        @Override
        public void update(long received, long total) {
        }

        @Override
        public void finished(long received) {
        }
    };
}

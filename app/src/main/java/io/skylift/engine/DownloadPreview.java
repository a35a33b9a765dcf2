package io.skylift.engine;

/**
 * What a download of files and folders would fetch, found by listing them without fetching anything:
 * for a question before a very large folder ("over 1,000 files or 50 GB") or a summary.
 *
 * <pre>{@code
 * DownloadPreview p = engine.previewDownload(List.of("u/me/2026/"));
 * if (p.files() > 1_000 || p.bytes() > 50_000_000_000L) { ask(p.files() + " files, " + p.bytes() + " bytes"); }
 * }</pre>
 *
 * @param files    files to fetch
 * @param bytes    their total size
 * @param archived how many of them are archived and not restored: their downloads will be refused until restored
 */
public record DownloadPreview(long files, long bytes, long archived) {}

package io.skylift.engine;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;

/**
 * Files a folder upload leaves out, by glob, as rsync reads its patterns: a pattern without a slash
 * matches any one name on the way (".DS_Store", "*.xmp", "cache" for a folder of that name and all
 * below it); a pattern with a slash matches the path below the uploaded folder ("raw/*.tmp",
 * "exports/**"). Immutable; thread-safe.
 *
 * <pre>{@code
 * Exclusions skip = Exclusions.of(List.of(".DS_Store", "*.xmp"));
 * skip.excludes(Path.of("day1/IMG_0001.xmp"))   // true
 * }</pre>
 */
public final class Exclusions {

    public static final Exclusions NONE = new Exclusions(List.of(), List.of());

    private final List<String> patterns;
    private final List<PathMatcher> matchers;

    private Exclusions(List<String> patterns, List<PathMatcher> matchers) {
        this.patterns = patterns;
        this.matchers = matchers;
    }

    /** @throws IllegalArgumentException naming a pattern that is not a glob */
    public static Exclusions of(List<String> globs) {
        var matchers = globs.stream().map(glob -> {
            try {
                return FileSystems.getDefault().getPathMatcher("glob:" + glob.replaceAll("/+$", ""));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + glob + "' is not a glob pattern: " + e.getMessage(), e);
            }
        }).toList();
        return new Exclusions(List.copyOf(globs), matchers);
    }

    public List<String> patterns() {
        return patterns;
    }

    /** Whether {@code relative}, a file's path below the uploaded folder, is left out. */
    public boolean excludes(Path relative) {
        for (int i = 0; i < matchers.size(); i++) {
            PathMatcher matcher = matchers.get(i);
            if (patterns.get(i).contains("/")) {
                if (matcher.matches(relative)) {
                    return true;
                }
                continue;
            }
            for (Path name : relative) {
                if (matcher.matches(name)) {
                    return true;
                }
            }
        }
        return false;
    }
}

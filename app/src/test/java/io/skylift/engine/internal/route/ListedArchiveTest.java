package io.skylift.engine.internal.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.skylift.engine.ArchiveState;
import io.skylift.engine.internal.api.Wire;
import io.skylift.json.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What a listing says of archived files, read as the engine shows them; an older service says nothing, and nothing is archived. */
class ListedArchiveTest {

    static Wire.FileEntry read(String json) throws Exception {
        return Json.WIRE.readValue(json, Wire.FilesPage.class).files().getFirst();
    }

    @Test
    void aListingFromAServiceBeforeArchivesReadsAsNotArchived() throws Exception {
        Wire.FileEntry file = read("{\"prefix\":\"u/a/\",\"files\":[{\"key\":\"u/a/x.jpg\",\"size\":1,\"etag\":\"e\","
                + "\"lastModified\":\"2026-11-22T10:00:00Z\"}],\"nextCursor\":null}");

        assertThat(file.storageClass()).isNull();
        assertThat(PresignedRoute.archiveOf(file.archive())).isEqualTo(ArchiveState.NONE);
    }

    @Test
    void eachArchiveStateIsReadWithItsExpiry() throws Exception {
        String page = "{\"prefix\":\"archives/\",\"files\":[{\"key\":\"archives/c.zip\",\"size\":1,\"etag\":\"e\","
                + "\"lastModified\":\"2026-11-22T10:00:00Z\",\"storageClass\":\"GLACIER\",\"archive\":%s}],\"nextCursor\":null}";

        assertThat(PresignedRoute.archiveOf(read(page.formatted("{\"state\":\"archived\"}")).archive())).isEqualTo(ArchiveState.ARCHIVED);
        assertThat(PresignedRoute.archiveOf(read(page.formatted("{\"state\":\"restoring\"}")).archive())).isEqualTo(ArchiveState.RESTORING);
        assertThat(PresignedRoute.archiveOf(read(page.formatted("{\"state\":\"restored\",\"until\":\"2026-12-01T00:00:00Z\"}")).archive()))
                .isEqualTo(ArchiveState.restored(Instant.parse("2026-12-01T00:00:00Z")));
        assertThat(PresignedRoute.archiveOf(read(page.formatted("null")).archive())).isEqualTo(ArchiveState.NONE);
        assertThat(read(page.formatted("null")).storageClass()).isEqualTo("GLACIER");
        assertThat(ArchiveState.ARCHIVED.downloadable()).isFalse();
        assertThat(ArchiveState.restored(null).downloadable()).isTrue();
    }
}

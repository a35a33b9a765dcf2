package io.skylift.backend.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShareIdTest {

    @Test
    void noShareIdBeginsWithADashThatACommandLineWouldTakeForAnOption() {
        // One base64url id in 64 would begin with '-': 10,000 draws would hold about 156 of them.
        Random random = new Random(7);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = CreateShare.newId(random);
            assertThat(id).hasSize(22).matches("[A-Za-z0-9_][A-Za-z0-9_-]{21}");
            ids.add(id);
        }
        assertThat(ids).as("all different").hasSize(10_000);
    }
}

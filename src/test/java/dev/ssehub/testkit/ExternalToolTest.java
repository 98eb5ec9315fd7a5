package dev.ssehub.testkit;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The policy for programs the tests drive: skip naming the Debian package, but fail under CI=true. */
class ExternalToolTest {

    @Test
    void aMissingToolSkipsTheTestNamingThePackageOrFailsItUnderCi() {
        Class<? extends Throwable> expected = ExternalTool.underCi() ? AssertionFailedError.class
                : TestAbortedException.class;

        Throwable outcome = assertThrows(expected,
                () -> ExternalTool.require("ssehub-no-such-package", "/nonexistent/ssehub-no-such-tool"));

        assertTrue(outcome.getMessage().contains("apt-get install ssehub-no-such-package"), outcome.getMessage());
    }

    @Test
    void aToolOnThePathIsFound() {
        assertEquals("sh", ExternalTool.require("dash", "sh").getFileName().toString());
    }
}

package dev.ssehub.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** One headless Chromium for all tests of a class: {@code @RegisterExtension static final ChromiumPerClass ...}. */
public final class ChromiumPerClass implements BeforeAllCallback, AfterAllCallback {

    private Chromium chromium;

    @Override
    public void beforeAll(ExtensionContext context) {
        chromium = Chromium.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (chromium != null) {
            chromium.close();
        }
    }

    public Chromium chromium() {
        return chromium;
    }
}

package dev.ssehub.testkit;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Debian's headless Chromium driven through Debian's ChromeDriver by Selenium. Both paths are given explicitly, so
 * Selenium Manager never runs and nothing is downloaded. A missing package skips the test (fails it under CI).
 */
public final class Chromium implements AutoCloseable {

    // Selenium warns that it has no CDP support for Debian's newer Chromium; these tests use WebDriver, not CDP.
    private static final Logger CDP_WARNINGS = Logger.getLogger("org.openqa.selenium.devtools");

    private final ChromeDriver driver;
    private final String firstWindow;

    private Chromium(ChromeDriver driver) {
        this.driver = driver;
        this.firstWindow = driver.getWindowHandle();
    }

    public static Chromium start() {
        CDP_WARNINGS.setLevel(Level.SEVERE);
        Path browser = ExternalTool.require("chromium", "/usr/bin/chromium", "chromium");
        Path chromedriver = ExternalTool.require("chromium-driver", "/usr/bin/chromedriver", "chromedriver");
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, chromedriver.toString());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort()
                .withSilent(true)
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--window-size=1280,1000");
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(15)).scriptTimeout(Duration.ofSeconds(15));
        return new Chromium(driver);
    }

    public WebDriver driver() {
        return driver;
    }

    /**
     * Closes every window and tab but the first, and blanks the first, which ends every page's streams (and the
     * SharedWorkers of their pages) before the next test.
     */
    public void closeAllButFirstWindow() {
        for (String handle : driver.getWindowHandles()) {
            if (!handle.equals(firstWindow)) {
                driver.switchTo().window(handle).close();
            }
        }
        driver.switchTo().window(firstWindow).get("about:blank");
    }

    /** Saves what the current window shows as target/screenshots/{name}.png, for people to look at. */
    public Path screenshot(String name) throws IOException {
        Path directory = Path.of(System.getProperty("ssehub.basedir", "."), "target", "screenshots");
        Files.createDirectories(directory);
        Path file = directory.resolve(name + ".png");
        Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
        return file;
    }

    /** Ends the browser and its driver. */
    @Override
    public void close() {
        driver.quit();
    }
}

package dev.savepoint.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium for the console's browser tests: Debian's {@code chromium} and {@code chromium-driver} (never a
 * browser downloaded at run time). Without them a test is skipped with how to install them, except in CI
 * ({@code CI=true}), where .ci/run installs them, so their absence fails the test.
 */
public final class Browser {

    private static final List<String> CHROMIUM = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser");
    private static final List<String> DRIVER = List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");

    private Browser() {
    }

    /** A headless Chromium that downloads into {@code downloads}; skips (or fails in CI) without one. */
    public static ChromeDriver open(Path downloads) {
        Optional<String> chromium = first(CHROMIUM);
        Optional<String> driver = first(DRIVER);
        if (chromium.isEmpty() || driver.isEmpty()) {
            String message = "headless Chromium is needed for the console's browser tests: "
                    + "apt-get install chromium chromium-driver (looked for " + CHROMIUM + " and " + DRIVER + ")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail("CI=true: " + message);
            }
            Assumptions.abort(message);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.get());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--window-size=1280,1600");
        options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
                "download.prompt_for_download", false));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(driver.get()).toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /** Saves what the browser shows as {@code target/screenshots/<name>.png} (module directory) and returns it. */
    public static Path screenshot(ChromeDriver browser, String name) {
        try {
            Path dir = Path.of("target", "screenshots");
            Files.createDirectories(dir);
            Path file = dir.resolve(name + ".png");
            Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new StackException("cannot save a screenshot " + name + ": " + e.getMessage());
        }
    }

    private static Optional<String> first(List<String> paths) {
        return paths.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst();
    }

    /**
     * The checkpoints the run chart on the open page shows: its notable marks ({@code data-checkpoint}, one each)
     * plus what each path of routine marks stands for ({@code data-count}).
     */
    public static int chartCheckpoints(ChromeDriver browser) {
        int marks = browser.findElements(org.openqa.selenium.By.cssSelector("#run-chart [data-checkpoint]")).size();
        for (var path : browser.findElements(org.openqa.selenium.By.cssSelector("#run-chart [data-count]"))) {
            marks += Integer.parseInt(path.getAttribute("data-count"));
        }
        return marks;
    }
}

package io.funcpipe.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.funcpipe.adapters.embed.EmbedderSpec;
import io.funcpipe.service.shell.ServiceConfig;
import io.funcpipe.service.shell.ServiceConfigLoader;

/**
 * The web console in a real browser: headless Chromium driven through chromedriver (Debian's
 * {@code chromium} and {@code chromium-driver}; {@code .ci/run} installs them) against a service node
 * started here on 127.0.0.1. Skipped, saying so, only when the browser or its driver is not installed.
 * Screenshots go to {@code target/console-screenshots/}, or to the folder named by the system property
 * {@code funcpipe.screenshots} ({@code -Dfuncpipe.screenshots=docs/img} refreshes the README's).
 */
@DisplayName("the web console in headless Chromium")
class ConsoleBrowserTest {

    private static final Duration LIMIT = Duration.ofMinutes(2);

    @TempDir
    Path tmp;

    private Service service;
    private WebDriver browser;
    private WebDriverWait wait;

    @BeforeEach
    void openBrowser() {
        Optional<Path> chromium = executable("chromium");
        Optional<Path> driver = executable("chromedriver");
        Assumptions.assumeTrue(chromium.isPresent() && driver.isPresent(), "the browser test needs Chromium and "
                + "chromedriver on the PATH (found chromium: " + chromium.isPresent() + ", chromedriver: "
                + driver.isPresent() + "); install them with apt-get install -y chromium chromium-driver");
        ChromeOptions options = new ChromeOptions().setBinary(chromium.get().toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--window-size=1280,1000", "--user-data-dir=" + tmp.resolve("chromium-profile"));
        ChromeDriverService driverService = new ChromeDriverService.Builder()
                .usingDriverExecutable(driver.get().toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(driverService, options);
        wait = new WebDriverWait(browser, LIMIT);
    }

    @AfterEach
    void close() {
        if (browser != null) {
            browser.quit();
        }
        if (service != null) {
            service.stop(LIMIT);
        }
    }

    private static Optional<Path> executable(String name) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty()).map(dir -> Path.of(dir, name)).filter(Files::isExecutable).findFirst();
    }

    private void startService(Path inputRoot) {
        ServiceConfig defaults = ServiceConfigLoader.load(Optional.empty(), Map.of());
        service = Service.start(new ServiceConfig(new ServiceConfig.Http("127.0.0.1", 0), List.of(inputRoot),
                new ServiceConfig.Index(tmp.resolve("indexes")), defaults.stages(), defaults.transport(),
                new ServiceConfig.Embedder(EmbedderSpec.Kind.HASH, defaults.embedder().openai()),
                new ServiceConfig.Jobs(2, Duration.ofMillis(100), Duration.ofMinutes(2), 1000, Duration.ofDays(7)),
                new ServiceConfig.Shutdown(Duration.ZERO), defaults.cluster()), LIMIT);
    }

    private String base() {
        return "http://127.0.0.1:" + service.httpPort();
    }

    private void submitFromPage(String sources, String index) {
        WebElement field = browser.findElement(By.id("sources"));
        field.clear();
        field.sendKeys(sources);
        WebElement name = browser.findElement(By.id("index"));
        name.clear();
        name.sendKeys(index);
        browser.findElement(By.id("submit")).click();
    }

    private WebElement job(String state) {
        return wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("article.job[data-state='" + state + "']")));
    }

    @Test
    @DisplayName("submits a job from the page (a bad one first), watches its bar reach 100%, then searches its index and sees a hit")
    void submitWatchSearch() throws Exception {
        Path samples = Path.of("samples/sotu").toAbsolutePath();
        startService(samples);
        browser.get(base() + "/");
        wait.until(ExpectedConditions.textToBe(By.id("connection"), "connected"));

        submitFromPage(samples.toString(), "../escape");
        WebElement refused = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("submit-error")));
        assertThat(refused.getText()).contains("index must be");
        assertThat(browser.findElement(By.id("index")).getAttribute("class")).contains("invalid");

        submitFromPage(samples.toString(), "sotu");
        WebElement card = job("SUCCEEDED");
        WebElement bar = card.findElement(By.cssSelector(".bar"));
        wait.until(ExpectedConditions.attributeToBe(bar, "aria-valuenow", "100"));
        assertThat(card.findElement(By.cssSelector(".percent")).getText()).isEqualTo("100%");
        List<WebElement> indexRow = card.findElements(By.cssSelector("tr[data-stage='index'] td"));
        assertThat(Long.parseLong(indexRow.get(2).getText())).as("chunks indexed, shown per stage").isPositive();
        assertThat(card.findElement(By.cssSelector(".rate")).getText()).contains("chunks in");
        assertThat(card.findElement(By.cssSelector(".cancel")).isDisplayed()).as("no cancel for an ended job").isFalse();
        screenshot("console-jobs.png");

        WebElement index = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("article.index[data-name='sotu']")));
        wait.until(ExpectedConditions.textMatches(By.cssSelector("article.index[data-name='sotu'] .counts"),
                java.util.regex.Pattern.compile("[1-9][0-9]* chunks")));
        index.findElement(By.cssSelector(".query")).sendKeys("the union and the constitution");
        index.findElement(By.cssSelector("form.search button")).click();
        WebElement hit = wait.until(ExpectedConditions.presenceOfNestedElementLocatedBy(index, By.cssSelector(".hit")));
        assertThat(Double.parseDouble(hit.findElement(By.cssSelector(".score")).getText())).isPositive();
        assertThat(hit.findElement(By.cssSelector(".location")).getText()).contains(".txt");
        assertThat(hit.findElement(By.cssSelector(".text")).getText()).isNotBlank();
        screenshot("console-search.png");
    }

    @Test
    @DisplayName("shows a running job's rate, ETA and failed items with their source locations, and cancels it from the page")
    void cancelFromPage() throws Exception {
        Path input = tmp.resolve("input");
        Files.createDirectories(input);
        Path big = input.resolve("big.jsonl");
        String text = Files.readString(Path.of("samples/sotu/1862_abraham_lincoln_r.txt")).replace("\"", "'")
                .replace("\\", " ").replaceAll("\\s+", " ");
        try (var w = Files.newBufferedWriter(big)) {
            for (int i = 0; i < 2_000; i++) {
                w.write("{\"id\":\"d" + i + "\",\"text\":\"" + text + "\"}\n");
            }
        }
        Path broken = input.resolve("broken.jsonl");
        Files.writeString(broken, "{\"id\":\"ok\",\"text\":\"fine\"}\n{\"id\": not json\n");
        startService(input);
        browser.get(base() + "/");
        wait.until(ExpectedConditions.textToBe(By.id("connection"), "connected"));

        submitFromPage(broken + "\n" + big, "big");
        WebElement card = job("RUNNING");
        wait.until(d -> Long.parseLong(card.findElement(By.cssSelector("tr[data-stage='index'] td:nth-child(3)")).getText()) > 0);
        wait.until(d -> card.findElement(By.cssSelector(".eta")).getText().startsWith("ETA "));
        assertThat(card.findElement(By.cssSelector(".rate")).getText()).endsWith("chunks/s");
        WebElement errors = card.findElement(By.cssSelector(".errors"));
        errors.findElement(By.cssSelector("summary")).click();
        wait.ignoring(StaleElementReferenceException.class).until(d -> errors.findElement(By.cssSelector("li")).getText()
                .contains("broken.jsonl:2"));
        assertThat(errors.findElement(By.cssSelector("summary")).getText()).startsWith("1 failed item");
        assertThat(errors.findElement(By.cssSelector("li")).getText()).contains("broken.jsonl:2", "parse");
        screenshot("console-running.png");
        card.findElement(By.cssSelector(".cancel")).click();

        WebElement ended = job("CANCELLED");
        assertThat(ended.findElement(By.cssSelector(".state")).getText()).isEqualTo("CANCELLED");
        assertThat(Integer.parseInt(ended.findElement(By.cssSelector(".bar")).getAttribute("aria-valuenow"))).isLessThan(100);
    }

    private void screenshot(String name) {
        Path folder = Path.of(System.getProperty("funcpipe.screenshots", "target/console-screenshots"));
        try {
            Files.createDirectories(folder);
            Files.write(folder.resolve(name), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the screenshot " + folder.resolve(name), e);
        }
    }
}

package kz.ehr.testsupport;

import java.io.File;
import java.time.Duration;

import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven by its own chromedriver, for the browser tests (certificates' /verify page, the
 * ops console). Paths from -Dchromium= and -Dchromedriver=, default /usr/bin/chromium and /usr/bin/chromedriver;
 * Selenium Manager is never asked to fetch anything. A module using this brings selenium-chrome-driver itself
 * (optional here, so the other modules' tests do not carry Selenium).
 */
public final class HeadlessChromium {
    public static final String CHROMIUM = System.getProperty("chromium", "/usr/bin/chromium");
    public static final String CHROMEDRIVER = System.getProperty("chromedriver", "/usr/bin/chromedriver");

    private HeadlessChromium() {
    }

    /** A new browser with a 1200×1600 window; pages may take {@code pageLoad} to load. Quit it when done. */
    public static WebDriver start(Duration pageLoad) {
        return start(pageLoad, java.util.List.of());
    }

    /** As {@link #start(Duration)}, with {@code extra} Chromium arguments (a fake camera, say). */
    public static WebDriver start(Duration pageLoad, java.util.List<String> extra) {
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--window-size=1200,1600");
        options.addArguments(extra);
        WebDriver browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(pageLoad);
        return browser;
    }
}

import { launchChromium } from './support/chromium';
import { unnamedElements } from './support/page';

jest.setTimeout(60_000);

describe('the accessibility check the browser tests rely on', () => {
  it('reports unnamed controls, images without alt and unlabelled SVG images', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      await page.setContent(
        '<button></button><button>ok</button><label>Name <input id="named"></label><input id="bare">' +
          '<img src="data:,"><img alt="" src="data:,"><svg role="img"></svg><svg role="img" aria-label="chart"></svg>',
      );
      expect(await unnamedElements(page)).toEqual(['button', 'input#bare', 'img', 'svg']);
    } finally {
      await browser.close();
    }
  });
});

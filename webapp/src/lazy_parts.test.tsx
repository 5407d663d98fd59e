import {render, screen} from '@testing-library/react';
import {withServices} from './host/services';
import {LazyHealthPanel, LazyReportCard} from './lazy_parts';
import {fakeServices} from './testing/fakes';
import {fixture, reportPost, serverRoutes} from './testing/fixtures';

jest.mock('./chart/latency_chart', () => ({__esModule: true, default: () => null}));

describe('lazy parts', () => {
  it('shows the plain message until the card chunk and the bot are there, then the card', async () => {
    const services = fakeServices(serverRoutes());
    const Card = withServices(services, LazyReportCard);
    render(<Card post={reportPost(fixture('report.v1.json'), {message: 'Health: failing'})} />);
    expect(screen.getByText('Health: failing')).toBeTruthy();
    expect(await screen.findByTestId('healthcheck-report-card')).toBeTruthy();
  });

  it('loads the panel chunk behind a designed loading state', async () => {
    const Panel = withServices(fakeServices(serverRoutes({posts: []})), LazyHealthPanel);
    render(<Panel id='HealthPanel' />);
    expect(screen.getByText('Loading the health panel…')).toBeTruthy();
    expect(await screen.findByTestId('healthcheck-panel')).toBeTruthy();
  });
});

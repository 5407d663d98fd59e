// What every registered component needs from the entry, handed down through React context.
import {createContext, useContext, type ComponentType} from 'react';
import type {Http} from '../api/http';
import type {Resolver} from '../api/resolver';
import {createEmitter, createPostedReports, type Emitter, type PostedReports} from '../posted_reports';
import type {StatusSnapshots} from '../slash/status_snapshots';
import type {HostStore} from './types';

export interface Services {
  pluginId: string;
  store: HostStore;
  http: Http;
  resolver: Resolver;
  /** Report posts seen on the websocket, for the panel's live updates. */
  reports: PostedReports;
  /** Answers of /healthcheck computed in this browser, keyed by their ephemeral post id. */
  statuses: StatusSnapshots;
  /** Users of the websocket's user_updated events (the bot's carry the degraded-service notice). */
  users: Emitter<unknown>;
}

export function createServices(pluginId: string, store: HostStore, http: Http, resolver: Resolver): Services {
  return {pluginId, store, http, resolver, reports: createPostedReports(), statuses: new Map(), users: createEmitter()};
}

const ServicesContext = createContext<Services | null>(null);

export const ServicesProvider = ServicesContext.Provider;

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('health-check component rendered outside its ServicesProvider');
  return services;
}

/** Wraps a component for the host so it receives the services the entry created. */
export function withServices<P extends object>(services: Services, Component: ComponentType<P>): ComponentType<P> {
  const Wrapped = (props: P) => (
    <ServicesProvider value={services}>
      <Component {...props} />
    </ServicesProvider>
  );
  Wrapped.displayName = `HealthCheck(${Component.displayName ?? Component.name ?? 'component'})`;
  return Wrapped;
}

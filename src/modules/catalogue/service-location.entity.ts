import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { randomUUID } from 'node:crypto';

/** A place where a service is given (HSDS service_at_location). Not a GraphQL type: Service.locations lists the places. */
@Entity({ tableName: 'service_location' })
export class ServiceLocation {
  @PrimaryKey({ type: 'uuid' }) id: string = randomUUID();

  /** The service's gmina (tenant column); the place itself may lie in another gmina the unit serves. */
  @Property({ type: 'integer' }) gminaId!: number;
  @Property({ type: 'uuid' }) serviceId!: string;
  @Property({ type: 'uuid' }) locationId!: string;
  @Property({ type: 'datetime', onCreate: () => new Date() }) createdAt: Date = new Date();
}

import { Type } from '@sinclair/typebox';

export const ProcedureCodeParams = Type.Object({
  code: Type.String({ minLength: 1, maxLength: 40, description: 'the procedure’s code in the national list' }),
});

export const PrefillIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

import { createContext, useContext } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, isApiError } from '../api/client';
import type { Me } from '../api/types';

export const SESSION_KEY = ['session'] as const;

/** The signed-in user, or null when there is no session. */
export function useSession() {
  return useQuery({
    queryKey: SESSION_KEY,
    queryFn: async (): Promise<Me | null> => {
      try {
        const res = await api.get<{ user: Me }>('/session');
        return res.user;
      } catch (e) {
        if (isApiError(e, 401)) return null;
        throw e;
      }
    },
    staleTime: 5 * 60_000,
    retry: false,
  });
}

export const MeContext = createContext<Me | null>(null);

/** The signed-in user inside the console layout (which renders only with a session). */
export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe outside the signed-in layout');
  return me;
}

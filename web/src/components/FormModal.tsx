import { useState, type ReactNode } from 'react';
import { Form, Modal, type FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { applyProblemToForm } from '../lib/problems';
import { ProblemAlert } from './common';

type NamePath = (string | number)[];

/**
 * A modal with a form whose submit goes to the server; the server's field errors appear next
 * to the fields, the rest in an alert above them. Mount it only while open (fresh initial values).
 */
export function FormModal<V extends object>({
  title,
  initialValues,
  fields,
  mapField,
  onSubmit,
  onClose,
  children,
  testId,
  width = 640,
  okText,
}: {
  title: ReactNode;
  initialValues?: Partial<V>;
  fields: readonly string[];
  mapField?: (path: NamePath) => NamePath | null;
  onSubmit: (values: V) => Promise<unknown>;
  onClose: () => void;
  children: ReactNode | ((form: FormInstance<V>) => ReactNode);
  testId?: string;
  width?: number;
  okText?: ReactNode;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<V>();
  const [problems, setProblems] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);

  const finish = async (values: V) => {
    setProblems([]);
    setSaving(true);
    try {
      await onSubmit(values);
      onClose();
    } catch (e) {
      setProblems(applyProblemToForm(t, form, e, fields, mapField).general);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      title={title}
      width={width}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={okText ?? t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      okButtonProps={{ ...({ 'data-testid': 'modal-ok' } as Record<string, string>) }}
      maskClosable={false}
      data-testid={testId}
    >
      <ProblemAlert messages={problems} />
      <Form<V> form={form} layout="vertical" initialValues={initialValues} onFinish={(v) => void finish(v)} data-testid={testId ? `${testId}-form` : undefined}>
        {typeof children === 'function' ? children(form) : children}
      </Form>
    </Modal>
  );
}
